'use strict';

function greet(name) {
  const clean = String(name ?? '').trim();
  return `hello, ${clean || 'world'}`;
}

module.exports = { greet };
