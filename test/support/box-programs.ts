/**
 * Programs that try to outlive their session: each starts idle children in every way a process
 * can leave its parent (plain, detached, setsid, double fork). Each child's last argument is the
 * marker given as the program's first argument, plus a suffix, so a test can find them by it.
 */

export const NODE_FORKER = `
const { spawn } = require('node:child_process');
const marker = process.argv[2];
const idle = (tag, options) => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', marker + tag], { stdio: 'ignore', ...options });
idle('-plain');
idle('-detached', { detached: true }).unref();
spawn('setsid', [process.execPath, '-e', 'setInterval(() => {}, 1000)', marker + '-setsid'], { stdio: 'ignore' });
spawn('/bin/sh', ['-c', '(' + process.execPath + ' -e "setInterval(() => {}, 1000)" ' + marker + '-daemon &)'], { stdio: 'ignore' });
console.log('forked');
setInterval(() => {}, 1000);
`;

export const PYTHON_FORKER = `
import os, subprocess, sys, time
marker = sys.argv[1]
idle = [sys.executable, '-c', 'import time; time.sleep(1000)']
subprocess.Popen(idle + [marker + '-plain'])
subprocess.Popen(idle + [marker + '-setsid'], start_new_session=True)
if os.fork() == 0:
    if os.fork() == 0:
        os.setsid()
        os.execv(sys.executable, idle + [marker + '-daemon'])
    os._exit(0)
print('forked', flush=True)
while True:
    time.sleep(1)
`;
