#!/usr/bin/env python3
"""Read the boot storms of a serial log (tests/scenarios/storm-lib.sh's
STORM-DOMAIN and STORM-RUN lines) and report them.

  storm-report.py LOG tables            a table per run and its summary
  storm-report.py LOG plot DIR          DIR/storm.png and DIR/storm.svg
                                        (gnuplot): where each domain's
                                        memory went, one panel per mode
  storm-report.py LOG json              the runs and their aggregates

A domain's "share" is the part of its pages on the node it was bound to.
The node-local share of a run is the same over all node-bound domains'
pages together. Nothing here is estimated: every figure is read from
what dom0 measured with xc_domain_get_node_pages().
"""

import json
import os
import statistics
import subprocess
import sys

MODES = {0: "host-wide claims", 1: "claim sets"}


def fields(line):
    out = {}
    for item in line.split()[1:]:
        key, _, value = item.partition("=")
        out[key] = value
    return out


def read_log(path):
    runs = {}
    with open(path, errors="replace") as log:
        for line in log:
            line = line.strip()
            if line.startswith("STORM-DOMAIN "):
                f = fields(line)
                run = runs.setdefault((int(f["mode"]), int(f["run"])),
                                      {"domains": []})
                pages = [] if f["pages"] == "-" else \
                    [int(p) for p in f["pages"].split(",")]
                run["domains"].append({
                    "name": f["name"],
                    "node": None if f["node"] == "-" else int(f["node"]),
                    "mb": int(f["mb"]),
                    "ok": f["rc"] == "0",
                    "build_s": int(f["cs"]) / 100,
                    "pages": pages,
                })
            elif line.startswith("STORM-RUN "):
                f = fields(line)
                run = runs.setdefault((int(f["mode"]), int(f["run"])),
                                      {"domains": []})
                run.update({
                    "builders": int(f["builders"]),
                    "failed": int(f["failed"]),
                    "wall_s": int(f["wall_cs"]) / 100,
                    "bound_pages": int(f["bound"]),
                    "local_pages": int(f["local"]),
                })
    # A run without its STORM-RUN line did not finish: leave it out.
    return {k: v for k, v in runs.items() if "wall_s" in v}


def summary(run):
    bound = [d for d in run["domains"] if d["node"] is not None and d["ok"]]
    whole = sum(1 for d in bound if d["pages"][d["node"]] == sum(d["pages"]))
    share = (100.0 * run["local_pages"] / run["bound_pages"]
             if run["bound_pages"] else 0.0)
    return {"node_local_percent": round(share, 2),
            "bound_domains": len(bound), "bound_domains_whole": whole,
            "failed_builds": run["failed"], "builders": run["builders"],
            "wall_s": run["wall_s"]}


def tables(runs, out=sys.stdout):
    for (mode, nr), run in sorted(runs.items(), key=lambda r: (r[0][1], r[0][0])):
        nodes = max((len(d["pages"]) for d in run["domains"]), default=0)
        out.write("\nstorm %d, %s\n" % (nr, MODES[mode]))
        head = "  %-11s %8s %6s" % ("domain", "intended", "MiB")
        head += "".join(" %8s" % ("node %d" % n) for n in range(nodes))
        head += " %7s %8s %s\n" % ("share", "build s", "result")
        out.write(head)
        for d in run["domains"]:
            row = "  %-11s %8s %6d" % (d["name"], "-" if d["node"] is None
                                      else "node %d" % d["node"], d["mb"])
            if d["ok"]:
                row += "".join(" %8d" % p for p in d["pages"])
                total = sum(d["pages"])
                share = "-" if d["node"] is None else \
                    "%.1f%%" % (100.0 * d["pages"][d["node"]] / total)
            else:
                row += "".join(" %8s" % "-" for _ in range(nodes))
                share = "-"
            row += " %7s %8.1f %s\n" % (share, d["build_s"],
                                        "ok" if d["ok"] else "FAILED")
            out.write(row)
        s = summary(run)
        out.write("  node-local share of node-bound pages: %.1f%% (%d of %d "
                  "pages); %d of %d bound domains entirely on their node; "
                  "%d failed build(s) of %d; all builds ended in %.1f s\n"
                  % (s["node_local_percent"], run["local_pages"],
                     run["bound_pages"], s["bound_domains_whole"],
                     s["bound_domains"], s["failed_builds"], s["builders"],
                     s["wall_s"]))


def aggregate(runs):
    out = {}
    for mode, label in MODES.items():
        mine = [r for (m, _), r in sorted(runs.items()) if m == mode]
        if not mine:
            continue
        sums = [summary(r) for r in mine]
        walls = [s["wall_s"] for s in sums]
        local = sum(r["local_pages"] for r in mine)
        bound = sum(r["bound_pages"] for r in mine)
        out[label] = {
            "runs": len(mine),
            "node_local_percent": round(100.0 * local / bound, 2) if bound else 0.0,
            "node_local_percent_per_run": [s["node_local_percent"] for s in sums],
            "bound_domains_whole": sum(s["bound_domains_whole"] for s in sums),
            "bound_domains": sum(s["bound_domains"] for s in sums),
            "failed_builds": sum(s["failed_builds"] for s in sums),
            "builds": sum(s["builders"] for s in sums),
            "wall_s_median": statistics.median(walls),
            "wall_s_min": min(walls),
            "wall_s_max": max(walls),
            "wall_s_per_run": walls,
        }
    return out


GNUPLOT = """
set terminal {term} size 1100,760 {font}
set output '{out}'
set multiplot layout 2,1 title "Where each domain's memory went (MiB per node), same storm twice" font ',13'
set style data histograms
set style histogram rowstacked
set style fill solid 0.9 border -1
set boxwidth 0.75
set key outside right top title 'pages on'
set ylabel 'MiB'
set yrange [0:*]
set grid ytics
set xtics rotate by -30 nomirror
{panels}
unset multiplot
"""

PANEL = """
set title "{title}"
plot {series}
"""

COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2",
           "#edc948", "#9c755f"]


def plot(runs, outdir):
    os.makedirs(outdir, exist_ok=True)
    panels = []
    nodes = 0
    for mode in MODES:
        keyed = sorted((nr, r) for (m, nr), r in runs.items() if m == mode)
        if not keyed:
            continue
        nr, run = keyed[0]
        path = os.path.join(outdir, "storm-%d.dat" % mode)
        with open(path, "w") as dat:
            for d in run["domains"]:
                label = d["name"] + ("" if d["node"] is None
                                     else " (node %d)" % d["node"])
                if not d["ok"]:
                    label += " FAILED"
                mib = [p / 256.0 for p in d["pages"]] if d["ok"] else []
                nodes = max(nodes, len(mib))
                dat.write('"%s" %s\n' % (label, " ".join("%.1f" % m for m in mib)))
        s = summary(run)
        title = ("%s: %.1f%% of node-bound pages on their node, %d of %d "
                 "builds failed" % (MODES[mode], s["node_local_percent"],
                                    s["failed_builds"], s["builders"]))
        series = ", ".join(
            "'%s' using %d%s lc rgb '%s' title 'node %d'"
            % (path if n == 0 else "", n + 2, ":xtic(1)" if n == 0 else "",
               COLOURS[n % len(COLOURS)], n)
            for n in range(nodes))
        panels.append(PANEL.format(title=title, series=series))
    if not panels:
        sys.exit("storm-report: no finished storm in the log")
    for term, ext, font in (("pngcairo", "png", "font 'sans,10'"),
                            ("svg", "svg", "font 'sans,11'")):
        out = os.path.join(outdir, "storm." + ext)
        script = GNUPLOT.format(term=term, out=out, font=font,
                                panels="".join(panels))
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
        print(out)


def main():
    if len(sys.argv) < 3 or sys.argv[2] not in ("tables", "plot", "json") \
            or (sys.argv[2] == "plot") != (len(sys.argv) == 4):
        sys.exit(__doc__)
    runs = read_log(sys.argv[1])
    if not runs:
        sys.exit("storm-report: no finished storm in %s" % sys.argv[1])
    if sys.argv[2] == "tables":
        tables(runs)
    elif sys.argv[2] == "plot":
        plot(runs, sys.argv[3])
    else:
        json.dump({"runs": [dict(mode=MODES[m], run=nr, **summary(r),
                                 domains=r["domains"])
                            for (m, nr), r in sorted(runs.items())],
                   "by_mode": aggregate(runs)}, sys.stdout, indent=1)
        sys.stdout.write("\n")


if __name__ == "__main__":
    main()
