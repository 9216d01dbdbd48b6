// The one way the doctor reads a file the user named (certificates, keys, CA bundles, temporal.toml): only regular
// files, never more than a cap whatever `stat` says (files under /proc report 0 bytes and never end), and never a
// blocking open (a FIFO would wait for a writer forever).
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

export type ReadProblem = 'missing' | 'directory' | 'not-regular' | 'too-large' | 'denied' | 'error';

export type FileRead =
  { bytes: Buffer } | { problem: ReadProblem; /** e.g. "is a directory, not a file" */ text: string };

/** Files this size or smaller are read whole; a larger one is the wrong file. */
export interface ReadLimits {
  maxBytes: number;
  /** What the file should be, for the too-large text: "a PEM file", "a temporal.toml". */
  what: string;
  /** Stops the read between chunks (the stage's deadline). */
  signal?: AbortSignal;
}

/** PEM files are small; a bigger file is the wrong file, and is not read whole. */
export const PEM_FILE_MAX_BYTES = 1024 * 1024;

const CHUNK_BYTES = 64 * 1024;
// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer; it does not change reads of regular files.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

export function readRegularFileSync(path: string, limits: ReadLimits): FileRead {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    return openProblem(error);
  }
  try {
    const refused = refuse(fstatSync(fd), limits);
    if (refused) return refused;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(CHUNK_BYTES);
      const read = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      total += read;
      if (total > limits.maxBytes) return tooLarge(undefined, limits);
      chunks.push(chunk.subarray(0, read));
    }
    return { bytes: Buffer.concat(chunks, total) };
  } catch (error) {
    return openProblem(error);
  } finally {
    closeSync(fd);
  }
}

export async function readRegularFile(path: string, limits: ReadLimits): Promise<FileRead> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    return openProblem(error);
  }
  try {
    const refused = refuse(await handle.stat(), limits);
    if (refused) return refused;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      if (limits.signal?.aborted) return { problem: 'error', text: 'could not be read in time' };
      const chunk = Buffer.alloc(CHUNK_BYTES);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limits.maxBytes) return tooLarge(undefined, limits);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return { bytes: Buffer.concat(chunks, total) };
  } catch (error) {
    return openProblem(error);
  } finally {
    await handle.close().catch(() => {});
  }
}

function refuse(
  info: { isDirectory(): boolean; isFile(): boolean; size: number },
  limits: ReadLimits
): FileRead | undefined {
  if (info.isDirectory()) return { problem: 'directory', text: 'is a directory, not a file' };
  if (!info.isFile()) return { problem: 'not-regular', text: 'is not a regular file (a pipe, socket or device)' };
  if (info.size > limits.maxBytes) return tooLarge(info.size, limits);
  return undefined;
}

function tooLarge(size: number | undefined, limits: ReadLimits): FileRead {
  const how = size === undefined ? `is larger than ${limits.maxBytes} bytes` : `is ${size} bytes`;
  return { problem: 'too-large', text: `${how}, too large to be ${limits.what}` };
}

function openProblem(error: unknown): FileRead {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { problem: 'missing', text: 'does not exist' };
  if (code === 'EACCES' || code === 'EPERM') return { problem: 'denied', text: 'is not readable (permission denied)' };
  if (code === 'EISDIR') return { problem: 'directory', text: 'is a directory, not a file' };
  return { problem: 'error', text: `cannot be read (${code ?? 'error'})` };
}
