#!/usr/bin/env python3
"""Read the boot storms of a serial log (tests/scenarios/storm-lib.sh's
STORM-DOMAIN and STORM-RUN lines for the bound storm, PLACE-DOMAIN and
PLACE-RUN for the placement storm) and make demo's first act
(demo-act.sh's ACT lines), and report them.

  storm-report.py LOG act               the act: where each domain's pages
                                        went, per claim mode
  storm-report.py LOG tables            a table per run and its summary,
                                        bound storm then placement storm
  storm-report.py LOG plot DIR          DIR/storm.png and .svg, and
                                        DIR/place.png and .svg (gnuplot):
                                        where each domain's memory went,
                                        one panel per mode
  storm-report.py LOG json              the runs and their aggregates
                                        (the placement storm's under
                                        "placement")

A domain's "share" is the part of its pages on the node it was bound to.
The node-local share of a run is the same over all node-bound domains'
pages together. A build's time runs from the start to the end of its
`xl create -p` (the domain is populated and paused). Nothing here is
estimated: pages are what dom0 measured with xc_domain_get_node_pages(),
times what dom0 read from /proc/uptime as each builder's log came.

Each pair of a bound builder and a rival (a domain without node affinity)
is put in one of three cases by when the rival began to populate: before
the bound builder staked its claim, between its claim and its own
populate (the window a claim set protects and a host-wide claim does
not), or after the bound builder began to populate.

In the placement storm every domain is placed by libxl's automatic NUMA
placement; its "share" is the part of its pages on the node(s) placement
chose (its node affinity after the build). Two placements "overlap" when
one found its first candidate before the other chose, so that neither
saw the other's choice.
"""

import json
import os
import statistics
import subprocess
import sys

MODES = {0: "host-wide claims", 1: "claim sets"}


def run_fields(f):
    """What a STORM-RUN and a PLACE-RUN line both say."""
    return {
        "builders": int(f["builders"]),
        "failed": int(f["failed"]),
        "wall_s": int(f["wall_cs"]) / 100,
    }

def fields(line):
    out = {}
    for item in line.split()[1:]:
        key, _, value = item.partition("=")
        out[key] = value
    return out


def seconds(cs):
    return None if cs in (None, "-") else int(cs) / 100


def number(v):
    return None if v in (None, "-") else int(v)


def median_of(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else None


def sum_known(values):
    values = [v for v in values if v is not None]
    return sum(values) if values else None


def build_phases(domains):
    """Where the builds' time went: medians over the builds that ended
    well, in seconds (lock figures in ms, None without the lock)."""
    ok = [d for d in domains if d["ok"] and None not in
          (d["start_s"], d["claim_s"], d["populate_s"], d["populated_s"])]
    return {
        "to_claim_s": median_of(d["claim_s"] - d["start_s"] for d in ok),
        "claim_to_populate_s":
            median_of(d["populate_s"] - d["claim_s"] for d in ok),
        "populate_s": median_of(d["populated_s"] - d["populate_s"] for d in ok),
        "populated_to_end_s":
            median_of(d["start_s"] + d["build_s"] - d["populated_s"] for d in ok),
        "lock_wait_ms": median_of(d["lock_wait_ms"] for d in ok),
        "lock_held_ms": median_of(d["lock_held_ms"] for d in ok),
        "small_pages": sum_known(d["small_pages"] for d in ok),
        "builds": len(ok),
    }


def read_acts(path):
    acts = {}
    with open(path, errors="replace") as log:
        for line in log:
            line = line.strip()
            if line.startswith("ACT "):
                f = fields(line)
                acts[int(f["mode"])] = {
                    "node": int(f["node"]), "claim": int(f["claim"]),
                    "slack": int(f["slack"]), "other": int(f["other"]),
                    "exact": int(f["exact"]),
                    "builder": [int(p) for p in f["builder"].split(",")],
                    "other_pages": [int(p) for p in f["other_pages"].split(",")],
                }
    return acts


def act(acts, out=sys.stdout):
    if not acts:
        sys.exit("storm-report: no act in the log")
    a = next(iter(acts.values()))
    mib = lambda pages: pages / 256.0
    out.write("act: a builder claims %.0f MiB of node %d (all but %.0f MiB of "
              "its free memory) and populates nothing yet; a domain without "
              "node affinity populates %.0f MiB on no node in particular; then "
              "the builder populates node %d exactly, and elsewhere what node "
              "%d no longer has\n"
              % (mib(a["claim"]), a["node"], mib(a["slack"]), mib(a["other"]),
                 a["node"], a["node"]))
    nodes = len(a["builder"])
    out.write("  %-17s %21s %9s %20s   %s | %s\n"
              % ("claim", "builder on node %d" % a["node"], "spilled",
                 "other on node %d" % a["node"],
                 "builder MiB per node", "other MiB per node"))
    for mode in sorted(acts):
        a = acts[mode]
        on = a["builder"][a["node"]]
        out.write("  %-17s %10.0f MiB %5.1f%% %5.0f MiB %16.0f MiB   %s | %s\n"
                  % (MODES[mode], mib(on), 100.0 * on / a["claim"],
                     mib(a["claim"] - on), mib(a["other_pages"][a["node"]]),
                     " ".join("%5.0f" % mib(p) for p in a["builder"][:nodes]),
                     " ".join("%5.0f" % mib(p) for p in a["other_pages"])))


def domain_fields(f):
    """What a STORM-DOMAIN and a PLACE-DOMAIN line both say."""
    return {
        "name": f["name"],
        "mb": int(f["mb"]),
        "ok": f["rc"] == "0",
        "build_s": int(f["cs"]) / 100,
        "pages": [] if f["pages"] == "-" else
        [int(p) for p in f["pages"].split(",")],
        # Seconds after the storm started (None: not logged).
        "start_s": seconds(f.get("start")),
        "claim_s": seconds(f.get("claim")),
        "populate_s": seconds(f.get("pop")),
        "populated_s": seconds(f.get("popend")),
        "lock_wait_ms": number(f.get("lockwait")),
        "lock_held_ms": number(f.get("lockheld")),
        "small_pages": number(f.get("small")),
        "claimed": f.get("claimed", "-").replace(",", " "),
    }


def run_of(runs, f):
    """The run a line of mode=M run=R belongs to."""
    return runs.setdefault((int(f["mode"]), int(f["run"])), {"domains": []})


def read_log(path):
    runs = {}
    with open(path, errors="replace") as log:
        for line in log:
            line = line.strip()
            if line.startswith("STORM-DOMAIN "):
                f = fields(line)
                domain = domain_fields(f)
                domain["node"] = None if f["node"] == "-" else int(f["node"])
                run_of(runs, f)["domains"].append(domain)
            elif line.startswith("STORM-RUN "):
                f = fields(line)
                run = run_of(runs, f)
                run.update(run_fields(f))
                run.update({
                    "bound_pages": int(f["bound"]),
                    "local_pages": int(f["local"]),
                })
    # A run without its STORM-RUN line did not finish: leave it out.
    return {k: v for k, v in runs.items() if "wall_s" in v}


def nodes_of(text):
    """print_bitmap()'s node set ("3", "1-2,4") as a list; [] for "-"."""
    out = []
    for part in [] if text in ("-", "") else text.split(","):
        first, _, last = part.partition("-")
        out.extend(range(int(first), int(last or first) + 1))
    return out


def read_place(path):
    runs = {}
    with open(path, errors="replace") as log:
        for line in log:
            line = line.strip()
            if line.startswith("PLACE-DOMAIN "):
                f = fields(line)
                domain = domain_fields(f)
                nodes = list(range(len(domain["pages"]))) \
                    if f["nodes"] == "all" else nodes_of(f["nodes"])
                run_of(runs, f)["domains"].append(dict(domain, **{
                    "nodes": nodes,
                    "seen_mb": None if f["seen"] == "-" else int(f["seen"]),
                    # Successive best candidates: (vcpus, free MiB).
                    "candidates": [] if f.get("cands", "-") == "-" else
                    [[int(x) for x in c.split(":")] for c in f["cands"].split(",")],
                    "place_from_s": seconds(f.get("place0")),
                    "placed_s": seconds(f.get("place")),
                    "placed_again": f.get("again") == "1",
                }))
            elif line.startswith("PLACE-RUN "):
                f = fields(line)
                run = run_of(runs, f)
                run.update(run_fields(f))
                run.update({
                    "pages": int(f["pages"]),
                    "chosen_pages": int(f["chosen"]),
                    "fit": [int(n) for n in f["fit"].split(",")],
                    "chose": [int(n) for n in f["chose"].split(",")],
                })
    return {k: v for k, v in runs.items() if "wall_s" in v}


def on_chosen(d):
    return sum(d["pages"][n] for n in d["nodes"] if n < len(d["pages"]))


def overlaps(run):
    """Pairs of placements that overlapped, and how many of those pairs
    chose a node in common."""
    timed = [d for d in run["domains"]
             if d["place_from_s"] is not None and d["placed_s"] is not None]
    pairs = common = 0
    for i, a in enumerate(timed):
        for b in timed[i + 1:]:
            if a["place_from_s"] <= b["placed_s"] and \
                    b["place_from_s"] <= a["placed_s"]:
                pairs += 1
                common += bool(set(a["nodes"]) & set(b["nodes"]))
    return pairs, common


def place_summary(run):
    ok = [d for d in run["domains"] if d["ok"]]
    one = sum(1 for d in ok if max(d["pages"]) == sum(d["pages"]))
    whole = sum(1 for d in ok if on_chosen(d) == sum(d["pages"]))
    builds = [d["build_s"] for d in ok]
    pairs, common = overlaps(run)
    over = [max(0, c - f) for c, f in zip(run["chose"], run["fit"])]
    return {"chosen_percent": round(100.0 * run["chosen_pages"] / run["pages"], 2)
            if run["pages"] else 0.0,
            "domains_built": len(ok), "domains_on_one_node": one,
            "domains_whole_on_chosen": whole,
            "spilled_mib": round((run["pages"] - run["chosen_pages"]) / 256.0, 1),
            "chose_per_node": run["chose"], "fit_per_node": run["fit"],
            "domains_over_fit": sum(over),
            "placed_again": sum(1 for d in run["domains"] if d["placed_again"]),
            "failed_builds": run["failed"], "builders": run["builders"],
            "wall_s": run["wall_s"],
            "build_s_median": statistics.median(builds) if builds else 0.0,
            "overlapping_placements": pairs,
            "overlapping_with_common_node": common}


def place_tables(runs, out=sys.stdout):
    for (mode, nr), run in sorted(runs.items(), key=lambda r: (r[0][1], r[0][0])):
        nodes = len(run["fit"])
        out.write("\nplacement storm %d, %s\n" % (nr, MODES[mode]))
        head = "  %-6s %6s" % ("domain", "MiB")
        head += "".join(" %8s" % ("node %d" % n) for n in range(nodes))
        head += " %6s %7s %6s %8s %8s %8s %8s %8s %s\n" % (
            "chose", "share", "seen", "place", "placed", "claim", "populate",
            "build s", "result claimed")
        out.write(head)
        for d in run["domains"]:
            row = "  %-6s %6d" % (d["name"], d["mb"])
            if d["ok"]:
                row += "".join(" %8d" % p for p in d["pages"])
                share = "%.1f%%" % (100.0 * on_chosen(d) / sum(d["pages"]))
            else:
                row += "".join(" %8s" % "-" for _ in range(nodes))
                share = "-"
            row += " %6s %7s %6s %s %s %s %s %8.1f %s %s%s%s\n" % (
                ",".join(map(str, d["nodes"])) or "-", share,
                "-" if d["seen_mb"] is None else d["seen_mb"],
                when(d["place_from_s"]), when(d["placed_s"]),
                when(d["claim_s"]), when(d["populate_s"]), d["build_s"],
                "ok" if d["ok"] else "FAILED", d["claimed"],
                " (placed again)" if d["placed_again"] else "",
                "; best in turn " + " ".join("%d:%d" % tuple(c)
                                             for c in d["candidates"])
                if d["candidates"] else "")
            out.write(row)
        s = place_summary(run)
        out.write("  pages on the node(s) placement chose: %.1f%% (%.0f MiB "
                  "elsewhere); %d of %d domains entirely on them, %d on one "
                  "node; domains per node %s (fit %s); %d failed build(s) of "
                  "%d; median build %.1f s; all builds ended in %.1f s\n"
                  % (s["chosen_percent"], s["spilled_mib"],
                     s["domains_whole_on_chosen"], s["domains_built"],
                     s["domains_on_one_node"],
                     ",".join(map(str, run["chose"])),
                     ",".join(map(str, run["fit"])), s["failed_builds"],
                     s["builders"], s["build_s_median"], s["wall_s"]))
        out.write("  placements that overlapped (neither saw the other's "
                  "choice): %d pair(s), %d of them on a common node\n"
                  % (s["overlapping_placements"],
                     s["overlapping_with_common_node"]))
    out.write("\n  (seen: the free memory placement saw on the node it chose, "
              "MiB; place, placed: seconds after the storm began at which "
              "placement found its first candidate and chose; claim, "
              "populate as above; best in turn: each candidate that was the "
              "best so far as placement went through the nodes, vcpus:MiB "
              "free)\n")


def per_mode(runs, summarize):
    """(label, runs, summaries, figures common to both storms) per mode."""
    for mode, label in MODES.items():
        mine = [r for (m, _), r in sorted(runs.items()) if m == mode]
        if not mine:
            continue
        sums = [summarize(r) for r in mine]
        walls = [s["wall_s"] for s in sums]
        builds = [d["build_s"] for r in mine for d in r["domains"] if d["ok"]]
        common = {
            "runs": len(mine),
            "failed_builds": sum(s["failed_builds"] for s in sums),
            "builds": sum(s["builders"] for s in sums),
            "build_s_median": statistics.median(builds) if builds else 0.0,
            "build_s_median_per_run": [s["build_s_median"] for s in sums],
            "wall_s_median": statistics.median(walls),
            "wall_s_min": min(walls),
            "wall_s_max": max(walls),
            "wall_s_per_run": walls,
            "phases": build_phases([d for r in mine for d in r["domains"]]),
        }
        yield label, mine, sums, common


def place_aggregate(runs):
    out = {}
    for label, mine, sums, common in per_mode(runs, place_summary):
        pages = sum(r["pages"] for r in mine)
        chosen = sum(r["chosen_pages"] for r in mine)
        out[label] = dict(common, **{
            "chosen_percent": round(100.0 * chosen / pages, 2) if pages else 0.0,
            "chosen_percent_per_run": [s["chosen_percent"] for s in sums],
            "domains_whole_on_chosen": sum(s["domains_whole_on_chosen"] for s in sums),
            "domains_on_one_node": sum(s["domains_on_one_node"] for s in sums),
            "domains_built": sum(s["domains_built"] for s in sums),
            "spilled_mib": round(sum(s["spilled_mib"] for s in sums), 1),
            "chose_per_node_per_run": [s["chose_per_node"] for s in sums],
            "fit_per_node": sums[0]["fit_per_node"],
            "domains_over_fit": sum(s["domains_over_fit"] for s in sums),
            "placed_again": sum(s["placed_again"] for s in sums),
            "overlapping_placements": sum(s["overlapping_placements"] for s in sums),
            "overlapping_with_common_node":
                sum(s["overlapping_with_common_node"] for s in sums),
        })
    return out


def order(run):
    """The (bound builder, rival) pairs by when the rival began to populate:
    before the builder's claim, between its claim and its populate, after
    it began to populate; and the builders' claim-to-populate windows."""
    bound = [d for d in run["domains"] if d["node"] is not None]
    rivals = [d for d in run["domains"] if d["node"] is None]
    cases = {"before_claim": 0, "in_window": 0, "after_populate": 0}
    for b in bound:
        if b["claim_s"] is None or b["populate_s"] is None:
            continue
        for r in rivals:
            if r["populate_s"] is None:
                continue
            if r["populate_s"] < b["claim_s"]:
                cases["before_claim"] += 1
            elif r["populate_s"] < b["populate_s"]:
                cases["in_window"] += 1
            else:
                cases["after_populate"] += 1
    windows = [b["populate_s"] - b["claim_s"] for b in bound
               if b["claim_s"] is not None and b["populate_s"] is not None]
    return cases, windows


def summary(run):
    bound = [d for d in run["domains"] if d["node"] is not None and d["ok"]]
    whole = sum(1 for d in bound if d["pages"][d["node"]] == sum(d["pages"]))
    share = (100.0 * run["local_pages"] / run["bound_pages"]
             if run["bound_pages"] else 0.0)
    builds = [d["build_s"] for d in run["domains"] if d["ok"]]
    cases, windows = order(run)
    return {"node_local_percent": round(share, 2),
            "bound_domains": len(bound), "bound_domains_whole": whole,
            "failed_builds": run["failed"], "builders": run["builders"],
            "wall_s": run["wall_s"],
            "build_s_median": statistics.median(builds) if builds else 0.0,
            "rival_populate": cases,
            "window_s_median": statistics.median(windows) if windows else None}


def when(t):
    return "%8s" % "-" if t is None else "%8.1f" % t


def tables(runs, out=sys.stdout):
    for (mode, nr), run in sorted(runs.items(), key=lambda r: (r[0][1], r[0][0])):
        nodes = max((len(d["pages"]) for d in run["domains"]), default=0)
        out.write("\nstorm %d, %s\n" % (nr, MODES[mode]))
        head = "  %-6s %8s %6s" % ("domain", "intended", "MiB")
        head += "".join(" %8s" % ("node %d" % n) for n in range(nodes))
        head += " %7s %8s %8s %8s %8s %s\n" % ("share", "claim", "populate",
                                              "build s", "claimed", "result")
        out.write(head)
        for d in run["domains"]:
            row = "  %-6s %8s %6d" % (d["name"], "-" if d["node"] is None
                                     else "node %d" % d["node"], d["mb"])
            if d["ok"]:
                row += "".join(" %8d" % p for p in d["pages"])
                total = sum(d["pages"])
                share = "-" if d["node"] is None else \
                    "%.1f%%" % (100.0 * d["pages"][d["node"]] / total)
            else:
                row += "".join(" %8s" % "-" for _ in range(nodes))
                share = "-"
            row += " %7s %s %s %8.1f %8s %s\n" % (
                share, when(d["claim_s"]), when(d["populate_s"]), d["build_s"],
                "ok" if d["ok"] else "FAILED", d["claimed"])
            out.write(row)
        s = summary(run)
        c = s["rival_populate"]
        out.write("  node-local share of node-bound pages: %.1f%% (%d of %d "
                  "pages); %d of %d bound domains entirely on their node; "
                  "%d failed build(s) of %d; median build %.1f s; all builds "
                  "ended in %.1f s\n"
                  % (s["node_local_percent"], run["local_pages"],
                     run["bound_pages"], s["bound_domains_whole"],
                     s["bound_domains"], s["failed_builds"], s["builders"],
                     s["build_s_median"], s["wall_s"]))
        if s["window_s_median"] is not None:
            out.write("  claim to populate of bound builders: median %.1f s; "
                      "a rival began to populate before a bound builder's "
                      "claim in %d pairs, between its claim and its populate "
                      "in %d, after it began to populate in %d\n"
                      % (s["window_s_median"], c["before_claim"],
                         c["in_window"], c["after_populate"]))
    out.write("\n  (claim, populate: seconds after the storm began at which "
              "libxl claimed and libxenguest began to populate; build: start "
              "to end of xl create -p)\n")


def aggregate(runs):
    out = {}
    for label, mine, sums, common in per_mode(runs, summary):
        local = sum(r["local_pages"] for r in mine)
        bound = sum(r["bound_pages"] for r in mine)
        cases = {k: sum(s["rival_populate"][k] for s in sums)
                 for k in ("before_claim", "in_window", "after_populate")}
        out[label] = dict(common, **{
            "node_local_percent": round(100.0 * local / bound, 2) if bound else 0.0,
            "node_local_percent_per_run": [s["node_local_percent"] for s in sums],
            "bound_domains_whole": sum(s["bound_domains_whole"] for s in sums),
            "bound_domains": sum(s["bound_domains"] for s in sums),
            "rival_populate": cases,
        })
    return out


def build_ratio(by_mode):
    """Median build time with claim sets over that with host-wide claims."""
    try:
        return round(by_mode["claim sets"]["build_s_median"] /
                     by_mode["host-wide claims"]["build_s_median"], 4)
    except (KeyError, ZeroDivisionError):
        return None


GNUPLOT = """
set terminal {term} size 1100,760 {font}
set output '{out}'
set multiplot layout 2,1 title "{heading}" font ',13'
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


def bound_label(d):
    return d["name"] + ("" if d["node"] is None else " (node %d)" % d["node"])


def bound_title(mode, run):
    s = summary(run)
    return ("%s: %.1f%% of node-bound pages on their node, %d of %d "
            "builds failed" % (MODES[mode], s["node_local_percent"],
                               s["failed_builds"], s["builders"]))


def place_label(d):
    return "%s (chose %s)" % (d["name"], ",".join(map(str, d["nodes"])) or "-")


def place_title(mode, run):
    s = place_summary(run)
    return ("%s: %d of %d domains entirely on the node(s) placement chose, "
            "domains per node %s, %d of %d builds failed"
            % (MODES[mode], s["domains_whole_on_chosen"], s["domains_built"],
               ",".join(map(str, run["chose"])), s["failed_builds"],
               s["builders"]))


def plot(runs, outdir, name, heading, label, title):
    """DIR/NAME.png and .svg: the first run of each mode, where each
    domain's memory went (label(domain) under its bar, title(mode, run)
    over each panel)."""
    os.makedirs(outdir, exist_ok=True)
    panels = []
    nodes = 0
    for mode in MODES:
        keyed = sorted((nr, r) for (m, nr), r in runs.items() if m == mode)
        if not keyed:
            continue
        nr, run = keyed[0]
        path = os.path.join(outdir, "%s-%d.dat" % (name, mode))
        with open(path, "w") as dat:
            for d in run["domains"]:
                mib = [p / 256.0 for p in d["pages"]] if d["ok"] else []
                nodes = max(nodes, len(mib))
                dat.write('"%s%s" %s\n' % (label(d), "" if d["ok"] else " FAILED",
                                           " ".join("%.1f" % m for m in mib)))
        series = ", ".join(
            "'%s' using %d%s lc rgb '%s' title 'node %d'"
            % (path if n == 0 else "", n + 2, ":xtic(1)" if n == 0 else "",
               COLOURS[n % len(COLOURS)], n)
            for n in range(nodes))
        panels.append(PANEL.format(title=title(mode, run), series=series))
    if not panels:
        return
    for term, ext, font in (("pngcairo", "png", "font 'sans,10'"),
                            ("svg", "svg", "font 'sans,11'")):
        out = os.path.join(outdir, name + "." + ext)
        script = GNUPLOT.format(term=term, out=out, font=font, heading=heading,
                                panels="".join(panels))
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
        print(out)


def by_mode_json(runs, summarise, aggregate_fn):
    by_mode = aggregate_fn(runs)
    return {"runs": [dict(mode=MODES[m], run=nr, **summarise(r),
                          domains=r["domains"])
                     for (m, nr), r in sorted(runs.items())],
            "by_mode": by_mode,
            "build_s_median_ratio": build_ratio(by_mode)}


def main():
    if len(sys.argv) < 3 or sys.argv[2] not in ("act", "tables", "plot", "json") \
            or (sys.argv[2] == "plot") != (len(sys.argv) == 4):
        sys.exit(__doc__)
    if sys.argv[2] == "act":
        act(read_acts(sys.argv[1]))
        return
    runs = read_log(sys.argv[1])
    placed = read_place(sys.argv[1])
    if not runs and not placed:
        sys.exit("storm-report: no finished storm in %s" % sys.argv[1])
    if sys.argv[2] == "tables":
        if runs:
            out = sys.stdout
            out.write("\nThe bound storm: builders bound to nodes and rivals "
                      "without node affinity, at once\n")
            tables(runs)
        if placed:
            sys.stdout.write("\nThe placement storm: domains placed by "
                             "libxl's automatic NUMA placement, at once\n")
            place_tables(placed)
    elif sys.argv[2] == "plot":
        plot(runs, sys.argv[3], "storm",
             "Where each domain's memory went (MiB per node), same storm twice",
             bound_label, bound_title)
        plot(placed, sys.argv[3], "place",
             "Placement storm: where each domain's memory went (MiB per node)",
             place_label, place_title)
    else:
        out = by_mode_json(runs, summary, aggregate) if runs else \
            {"runs": [], "by_mode": {}, "build_s_median_ratio": None}
        if placed:
            out["placement"] = by_mode_json(placed, place_summary,
                                            place_aggregate)
        json.dump(out, sys.stdout, indent=1)
        sys.stdout.write("\n")


if __name__ == "__main__":
    main()
