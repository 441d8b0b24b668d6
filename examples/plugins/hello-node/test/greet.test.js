'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { greet } = require('../src/index.js');

test('greets by name', () => assert.strictEqual(greet('Ada'), 'hello, Ada'));
test('a blank name greets the world', () => assert.strictEqual(greet('  '), 'hello, world'));
