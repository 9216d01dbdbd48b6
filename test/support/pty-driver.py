#!/usr/bin/env python3
"""Runs a command in a real pseudo-terminal of a given size, for tests of what users see at a terminal.

usage: pty-driver.py COLS ROWS TIMEOUT_S SCRIPT_JSON -- COMMAND [ARGS...]
SCRIPT_JSON: a list of [after_ms, action] where action is "^C" (the terminal's interrupt key), "TERM" (SIGTERM to
the child) or any other text to type. Prints one JSON object: {"output": <all terminal output>, "exit": code,
"signal": name|null, "timedOut": bool, "elapsedMs": n}.
"""
import fcntl, json, os, pty, select, signal, struct, sys, termios, time

def main():
    cols, rows, timeout_s, script = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), json.loads(sys.argv[4])
    command = sys.argv[sys.argv.index('--') + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        # The size is set on the child's own side before it runs, so its first look at the terminal sees it.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
        os.execvp(command[0], command)
    started = time.monotonic()
    output = bytearray()
    pending = sorted(script, key=lambda step: step[0])
    status = None
    timed_out = False
    while True:
        elapsed_ms = (time.monotonic() - started) * 1000
        while pending and pending[0][0] <= elapsed_ms:
            _, action = pending.pop(0)
            if action == 'TERM':
                os.kill(pid, signal.SIGTERM)
            else:
                os.write(fd, b'\x03' if action == '^C' else action.encode())
        if elapsed_ms > timeout_s * 1000:
            timed_out = True
            os.kill(pid, signal.SIGKILL)
        ready, _, _ = select.select([fd], [], [], 0.02)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b''
            if chunk:
                output.extend(chunk)
                continue
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = code
            # drain what is left
            while True:
                ready, _, _ = select.select([fd], [], [], 0.05)
                if not ready:
                    break
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                output.extend(chunk)
            break
    result = {
        'output': output.decode('utf-8', 'replace'),
        'exit': os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        'signal': signal.Signals(os.WTERMSIG(status)).name if os.WIFSIGNALED(status) else None,
        'timedOut': timed_out,
        'elapsedMs': round((time.monotonic() - started) * 1000),
    }
    sys.stdout.write(json.dumps(result))

main()
