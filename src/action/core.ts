// The one file that touches @actions/core: the rest of the action talks to this narrow port.
import * as core from '@actions/core';
import type { InputName, OutputName } from './inputs.ts';

export interface AnnotationAt {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

export interface ActionCore {
  input(name: InputName): string;
  setOutput(name: OutputName, value: string): void;
  setSecret(value: string): void;
  info(message: string): void;
  warning(message: string, at?: AnnotationAt): void;
  error(message: string, at?: AnnotationAt): void;
  notice(message: string, at?: AnnotationAt): void;
  writeSummary(markdown: string): Promise<void>;
  setFailed(message: string): void;
}

export const actionsCore: ActionCore = {
  input: (name) => core.getInput(name),
  setOutput: (name, value) => core.setOutput(name, value),
  setSecret: (value) => core.setSecret(value),
  info: (message) => core.info(message),
  warning: (message, at) => core.warning(message, at),
  error: (message, at) => core.error(message, at),
  notice: (message, at) => core.notice(message, at),
  writeSummary: async (markdown) => { await core.summary.addRaw(markdown, true).write(); },
  setFailed: (message) => core.setFailed(message),
};
