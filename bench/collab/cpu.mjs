/**
 * CPU accounting for the collab bench (Linux /proc; the figures are omitted elsewhere): the CPU time of the server
 * process, summed over its threads, and of this (client) process.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { performance } from "node:perf_hooks";

const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time of a process in ms, or NaN: the sum over its threads of /proc/<pid>/task/<tid>/schedstat (ns resolution),
 * falling back to utime + stime from /proc/<pid>/stat (clock-tick resolution).
 */
function processCpuMs(pid) {
  try {
    let ns = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // thread gone
      }
    }
    if (ns > 0) return ns / 1e6;
  } catch {
    // no schedstat
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** Pids of this process's direct children whose command name is `name` (the workerd that wrangler spawns). */
export function childPids(name) {
  try {
    return fs
      .readdirSync("/proc")
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
          const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
          const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
          return ppid === process.pid && comm === name;
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Snapshot of server and client (this process) CPU time; `since(snapshot)` gives the deltas in ms.
 * @example const meter = cpuMeter(server.pids); const t0 = meter.read(); … const { server, client, wall } = meter.since(t0);
 */
export function cpuMeter(serverPids) {
  const read = () => ({
    server: serverPids.reduce((sum, pid) => sum + processCpuMs(pid), 0),
    client: (() => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    })(),
    wall: performance.now(),
  });
  return {
    read,
    since(a) {
      const b = read();
      return { server: b.server - a.server, client: b.client - a.client, wall: b.wall - a.wall };
    },
  };
}
