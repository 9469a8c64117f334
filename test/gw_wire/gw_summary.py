# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
"""secpath_gw's exit summary: the "gw " lines of its output.

  gw sa dir=in spi=6 packets=N bytes=N auth_failed=N replay=N bad=N
  gw sp family=ipv4 dir=in line=L action=protect spi=6 packets=N ...
  gw drops malformed=N no_sa=N ...
  gw ports rx=N tx=N
  mbufs in use: 0
  blocks in use: 0

As a program: gw_summary.py LOG "SELECTOR | EXPECTED" ... (or -f FILE of
such lines, or -t FILE of dpdk-telemetry.py's answers: their counts must
be the summary's); each argument
names one line by its kind and selecting tokens ("sa dir=in spi=6",
"drops") and, after "|", the key=value tokens it must have. Also checks
"mbufs in use: 0" and "blocks in use: 0". Prints ok/FAIL lines; exit
status 0 when all hold.
"""

import sys


def parse(text):
    """[(kind, {key: value})] of the "gw " lines, blocks and mbufs in
    use (None: not said)."""
    lines = []
    blocks = mbufs = None
    for ln in text.splitlines():
        ln = ln.strip()
        for what in ("blocks", "mbufs"):
            if ln.startswith(what + " in use:"):
                try:
                    n = int(ln.split(":", 1)[1])
                except ValueError:
                    continue
                if what == "blocks":
                    blocks = n
                else:
                    mbufs = n
        if not ln.startswith("gw "):
            continue
        words = ln.split()
        kv = {}
        for w in words[2:]:
            if "=" in w:
                k, v = w.split("=", 1)
                kv[k] = int(v) if v.isdigit() else v
        lines.append((words[1], kv))
    return lines, blocks, mbufs


def find(lines, kind, **sel):
    """The lines of that kind whose tokens include sel."""
    return [kv for k, kv in lines if k == kind and
            all(str(kv.get(a)) == str(b) for a, b in sel.items())]


def tokens(s):
    words = s.split()
    return words[0] if words else "", dict(w.split("=", 1) for w in
                                          words[1:] if "=" in w)


def telemetry(lines, blocks, path):
    """The counts of dpdk-telemetry.py's answers in path (/secpath_gw/
    drops, sa, sp) must be the summary's."""
    import json
    import re
    tel = {}
    for ln in open(path, errors="replace"):
        try:
            tel.update(json.loads(ln))
        except ValueError:
            pass
    bad = 0

    def same(what, want, got):
        nonlocal bad
        diff = ["%s=%s (summary %s)" % (k, got.get(k), v)
                for k, v in want.items() if got.get(k) != v]
        if diff:
            bad += 1
            print("FAIL: telemetry %s: %s" % (what, " ".join(diff)))
        return not diff

    drops = find(lines, "drops")
    ports = find(lines, "ports")
    d = tel.get("/secpath_gw/drops")
    if not drops or not ports or not isinstance(d, dict):
        print("FAIL: telemetry /secpath_gw/drops: %s" % d)
        return 1
    want = dict(drops[0])
    want.update(rx=ports[0]["rx"], tx=ports[0]["tx"], blocks_in_use=blocks)
    if same("/secpath_gw/drops", want, d):
        print("ok: telemetry /secpath_gw/drops: the summary's drops, rx, tx,"
              " blocks in use")
    # entries "in:6", "out:5", "line:2" (any separator)
    for cmd, kind, key in (("/secpath_gw/sa", "sa", ("dir", "spi")),
                           ("/secpath_gw/sp", "sp", (None, "line"))):
        t = {}
        for k, v in (tel.get(cmd) or {}).items():
            m = re.match(r"^([a-z]+)[^a-z0-9]?(\d+)$", k)
            if m:
                t[(m.group(1), int(m.group(2)))] = v
        n = 0
        if not t and find(lines, kind):
            bad += 1
            print("FAIL: telemetry %s: no entry (DPDK 22.11's telemetry "
                  "refuses a name with ':')" % cmd)
            continue
        for kv in find(lines, kind):
            k = ((kv["dir"], kv["spi"]) if kind == "sa"
                 else ("line", kv["line"]))
            want = {a: b for a, b in kv.items() if isinstance(b, int) and
                    a not in ("spi", "line")}
            if same("%s %s:%s" % (cmd, k[0], k[1]), want, t.get(k, {})):
                n += 1
        total = len(find(lines, kind))
        if n == total:
            print("ok: telemetry %s: %d entries, the summary's" % (cmd, n))
    return 1 if bad else 0


def main(argv):
    text = open(argv[1], errors="replace").read()
    lines, blocks, mbufs = parse(text)
    bad = 0
    for ln in text.splitlines():
        if ln.startswith("gw ") or " in use: " in ln:
            print("  " + ln)
    for what, n in (("blocks", blocks), ("mbufs", mbufs)):
        if n != 0:
            print("FAIL: gateway: %s in use: %s" % (what, n))
            bad += 1
        else:
            print("ok: gateway: %s in use: 0" % what)
    args = argv[2:]
    if args[:1] == ["-t"]:
        return telemetry(lines, blocks, args[1])
    if args[:1] == ["-f"]:
        args = [ln.strip() for ln in open(args[1]) if ln.strip()]
    for arg in args:
        sel, _, want = arg.partition("|")
        kind, s = tokens(sel)
        _, w = tokens("x " + want)
        found = find(lines, kind, **s)
        if len(found) != 1:
            print("FAIL: gateway summary: %d lines \"gw %s\"" %
                  (len(found), sel.strip()))
            bad += 1
            continue
        diff = ["%s=%s (want %s)" % (k, found[0].get(k), v)
                for k, v in w.items() if str(found[0].get(k)) != v]
        if diff:
            print("FAIL: gateway summary \"gw %s\": %s" %
                  (sel.strip(), " ".join(diff)))
            bad += 1
        else:
            print("ok: gateway summary \"gw %s\" has %s" %
                  (sel.strip(), want.strip()))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
