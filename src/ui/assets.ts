// The dashboard's static files (scripts, styles, the icon) ship in the package: read from
// src/ui/assets/ when running from source, from dist/ui/assets/ (copied by the build) when
// running the bundle. They are read once, and served from memory with a content hash in their
// URL, so a browser caches them for good and a new version is a new URL. Nothing is fetched from
// any other host.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface Asset {
  name: string;
  type: string;
  body: Buffer;
  gzip: Buffer;
  hash: string;
}

const types: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml',
};

/** Where the asset files are: beside this module (source) or under ui/assets beside the bundle. */
export function assetDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'assets'), join(here, 'ui', 'assets')];
  const found = candidates.find((d) => existsSync(join(d, 'app.js')));
  if (!found) throw new Error(`the dashboard's files are missing (looked in ${candidates.join(', ')})`);
  return found;
}

let loaded: Map<string, Asset> | undefined;

export function assets(): Map<string, Asset> {
  if (loaded) return loaded;
  const dir = assetDir();
  const out = new Map<string, Asset>();
  for (const name of readdirSync(dir).sort()) {
    const type = types[extname(name)];
    if (!type) continue;
    const body = readFileSync(join(dir, name));
    out.set(name, { name, type, body, gzip: gzipSync(body, { level: 9 }), hash: createHash('sha256').update(body).digest('hex').slice(0, 12) });
  }
  loaded = out;
  return out;
}

/** The URL of an asset, with its content hash (`/assets/app.js?v=…`). */
export function assetUrl(name: string): string {
  const a = assets().get(name);
  if (!a) throw new Error(`no dashboard asset ${name}`);
  return `/assets/${name}?v=${a.hash}`;
}
