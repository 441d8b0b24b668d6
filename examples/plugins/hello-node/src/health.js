'use strict';
const { greet } = require('./index.js');

const ok = greet('probe') === 'hello, probe';
console.log(ok ? 'ok' : 'unexpected answer');
process.exit(ok ? 0 : 1);
