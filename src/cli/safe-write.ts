// Writing the files the doctor is asked to write (--report-file, GITHUB_STEP_SUMMARY): reports may name hosts,
// namespaces and certificate subjects, so they are created 0600; a symbolic link is never followed (in a shared
// folder it would let another user aim the write at their choice of file); a FIFO or device is refused instead of
// blocking the run for ever.
import { closeSync, constants, fchmodSync, fstatSync, lstatSync, openSync, writeSync } from 'node:fs';

export class UnsafeTarget extends Error {
  override name = 'UnsafeTarget';
}

const MODE = 0o600;

/** Writes (or, with `append`, appends to) a regular file; throws UnsafeTarget or the system error. */
export function writeRegularFile(path: string, text: string, how: { append?: boolean } = {}): void {
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (existing?.isSymbolicLink()) throw new UnsafeTarget('is a symbolic link; refusing to follow it');
  if (existing && !existing.isFile()) throw new UnsafeTarget('is not a regular file (a pipe, socket or device)');
  // O_NOFOLLOW closes the gap between the lstat and the open (a link swapped in meanwhile fails with ELOOP);
  // O_NONBLOCK makes a FIFO swapped in fail (ENXIO) or open without waiting for a reader, and fstat then refuses it.
  const flags =
    constants.O_WRONLY |
    constants.O_CREAT |
    constants.O_NOFOLLOW |
    constants.O_NONBLOCK |
    (how.append ? constants.O_APPEND : constants.O_TRUNC);
  let fd: number;
  try {
    fd = openSync(path, flags, MODE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new UnsafeTarget('is a symbolic link; refusing to follow it');
    if (code === 'ENXIO') throw new UnsafeTarget('is not a regular file (a pipe, socket or device)');
    throw error;
  }
  try {
    if (!fstatSync(fd).isFile()) throw new UnsafeTarget('is not a regular file (a pipe, socket or device)');
    // A report replaced in place keeps no wider mode from an earlier run; an appended job summary is GitHub's file.
    if (!how.append) fchmodSync(fd, MODE);
    const bytes = Buffer.from(text);
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
  } finally {
    closeSync(fd);
  }
}
