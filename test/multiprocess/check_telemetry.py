#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
"""Read the running primary's telemetry with DPDK's own client.

Usage: check_telemetry.py FILE_PREFIX BLOCKS_IN_USE HANDLER_POOL RX_OK

Runs dpdk-telemetry.py -f FILE_PREFIX, as a user would, with the
library's, the handler's and the secpath's commands, and checks what the
primary holds at that moment (test_mp.sh calls it while the primary
waits for the plain secondary). Exit status 0 if every check holds.
"""

import json
import shutil
import subprocess
import sys


def main():
    prefix, in_use, pool, rx_ok = sys.argv[1], int(sys.argv[2]), \
        sys.argv[3], int(sys.argv[4])
    client = shutil.which("dpdk-telemetry.py")
    if client is None:
        print("no dpdk-telemetry.py (package dpdk)")
        return 1
    cmds = ["/mbuf_extension/stats", "/mbuf_extension/pools",
            "/mempool_mbuf_ext/list", "/mempool_mbuf_ext/info," + pool,
            "/secpath/info", "/secpath/stats"]
    out = subprocess.run([sys.executable, client, "-f", prefix],
                         input="\n".join(cmds) + "\n", capture_output=True,
                         text=True, timeout=10, check=False)
    replies = {}
    for line in out.stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        reply = json.loads(line)
        replies.update(reply)
    print("telemetry of the running primary (%s):" % prefix)
    for cmd in cmds:
        key = cmd.split(",")[0]
        print("  %s %s" % (cmd, json.dumps(replies.get(key))))
    checks = []

    def check(what, ok):
        checks.append(ok)
        print("  %-55s %s" % (what, "ok" if ok else "WRONG"))

    stats = replies.get("/mbuf_extension/stats") or {}
    check("blocks in use = %d" % in_use, stats.get("in_use") == in_use)
    pools = replies.get("/mbuf_extension/pools") or {}
    check("block pools: %d in use in all" % in_use,
          sum(v for k, v in pools.items()
              if isinstance(v, int) and k not in ("block_size", "types"))
          == in_use)
    check("handler pool %s listed" % pool,
          pool in (replies.get("/mempool_mbuf_ext/list") or []))
    info = replies.get("/mempool_mbuf_ext/info") or {}
    check("handler pool: %d mbufs in use" % in_use,
          info.get("in_use") == in_use)
    sp_info = replies.get("/secpath/info") or {}
    check("secpath: attached, no live SA",
          sp_info.get("ext_id", -1) >= 0 and sp_info.get("live_sa") == 0)
    sp_stats = replies.get("/secpath/stats") or {}
    check("secpath: rx_ok = %d (the secondary's imports)" % rx_ok,
          sp_stats.get("rx_ok") == rx_ok)
    if out.returncode != 0 or not all(checks):
        print(out.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
