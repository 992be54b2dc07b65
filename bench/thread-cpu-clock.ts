/**
 * CPU time of the Web Worker thread of a Chromium we launched, read from
 * Linux /proc (schedstat, nanoseconds). The bench machine is shared, so wall
 * time inside the worker mostly measures the neighbours; this lets the
 * browser rows use CPU time like the Node and native rows do.
 *
 * The browser is found by its --user-data-dir, its renderer threads among
 * its descendants by thread name ("DedicatedWorker thread", cut by the
 * kernel to 15 characters).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const WORKER_THREAD = 'DedicatedWorker';

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function pids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

function parentOf(pid: number): number | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // Fields after the parenthesised command name: state, ppid, ...
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function descendants(root: number): number[] {
  const all = pids();
  const parent = new Map(all.map((p) => [p, parentOf(p)]));
  const out: number[] = [];
  for (const pid of all) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        out.push(pid);
        break;
      }
    }
  }
  return out;
}

/** `/proc/PID/task/TID` of every live worker thread of the browser using `profileDir`. */
export function workerThreads(profileDir: string): string[] {
  if (!existsSync('/proc/self/task')) return [];
  const browser = pids().find((p) => {
    const cmd = read(`/proc/${p}/cmdline`);
    return cmd !== undefined && cmd.split('\0').includes(`--user-data-dir=${profileDir}`);
  });
  if (browser === undefined) return [];
  const found: string[] = [];
  for (const pid of descendants(browser)) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      if (read(`/proc/${pid}/task/${tid}/comm`)?.trim().startsWith(WORKER_THREAD)) found.push(`/proc/${pid}/task/${tid}`);
    }
  }
  return found;
}

/**
 * A clock of the CPU seconds used by the browser's only worker thread, or
 * undefined when there is not exactly one (or no /proc).
 */
export function workerCpuClock(profileDir: string): () => number | undefined {
  let thread: string | undefined;
  return () => {
    let stat = thread && read(`${thread}/schedstat`);
    if (!stat) {
      const threads = workerThreads(profileDir);
      thread = threads.length === 1 ? threads[0] : undefined;
      stat = thread && read(`${thread}/schedstat`);
    }
    return stat ? Number(stat.split(' ')[0]) / 1e9 : undefined;
  };
}
