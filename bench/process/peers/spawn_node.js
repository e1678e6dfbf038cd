// Node: /bin/true n times in sequence, each spawned when the previous one exited. Prints spawns/s.
const { spawn } = require('child_process');
const n = Number(process.argv[2] || 2000);
const start = process.hrtime.bigint();
let left = n;
function next() {
  if (left-- === 0) {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log((n / seconds).toFixed(1));
    return;
  }
  spawn('/bin/true', [], { stdio: 'ignore' }).on('exit', (code) => {
    if (code !== 0) process.exit(1);
    next();
  });
}
next();
