// Node's child_process reading `cat <file>` (raw bytes). Prints MB/s.
const { spawn } = require('child_process');
const file = process.argv[2];
const start = process.hrtime.bigint();
const child = spawn('cat', [file], { stdio: ['ignore', 'pipe', 'inherit'] });
let bytes = 0;
child.stdout.on('data', (chunk) => { bytes += chunk.length; });
child.on('close', (code) => {
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (code !== 0) { console.error(`cat exited with ${code}`); process.exit(1); }
  console.log((bytes / 1e6 / seconds).toFixed(1));
});
