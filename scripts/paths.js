// Resolves the @zs/* library aliases for compiled code under dist/ at run time,
// so built services need neither ts-node nor a bundler.
const path = require('path');
const Module = require('module');
const root = path.resolve(__dirname, '..', 'dist', 'libs');
const original = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const m = /^@zs\/([a-z-]+)(\/.*)?$/.exec(request);
  if (m) request = path.join(root, m[1], 'src', m[2] || '');
  return original.call(this, request, ...rest);
};
