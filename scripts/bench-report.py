#!/usr/bin/env python3
"""make bench's figures of record, from what scripts/bench.sh measured.

  bench-report.py CALLGRIND STORM_JSON PAIRS INSTALLS RESULTS_JSON

CALLGRIND holds "key value" lines (instructions per allocate+free pair,
base and series, with and without claims held elsewhere; per 64-entry
install); STORM_JSON is storm-report.py's json of the bench boot (the
bound storm, and the placement storm under "placement"). Writes
RESULTS_JSON and prints results.md.
"""

import datetime
import json
import os
import platform
import sys


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu_model": model,
            "kernel": platform.release(), "host": platform.node()}


def change(base, series):
    return round((series - base) * 100.0 / base, 2)


def placement(out, modes, ratio):
    """The placement storm's table."""
    s = modes["claim sets"]
    out.write("\n## Placement storm on the emulated 4-node host\n\n")
    out.write("%d PV domains of Debian's kernel, %d times with each claim mode "
              "(alternated with the storm above), started by `xl create -p` "
              "all at once with no `cpus`, `cpus_soft` or vNUMA: libxl's "
              "automatic NUMA placement chooses each one's node. Each is 45 %% "
              "of the emptiest node's free memory, so that a node takes at "
              "most two (what each node's free memory fits, node 0 first: %s). \"Chosen\" is the node affinity "
              "placement left; two placements overlap when neither saw the "
              "other's choice.\n\n"
              % (s["builds"] // s["runs"], s["runs"],
                 ", ".join(map(str, s["fit_per_node"]))))
    out.write("| claim mode | pages on the chosen node(s) (per run) | domains "
              "entirely on them | domains per node, per run | domains beyond "
              "what a node fits | failed builds | build time, median (per "
              "storm) | storm wall time, median (min-max) | overlapping "
              "placements (on a common node) |\n"
              "|---|---|---|---|---|---|---|---|---|\n")
    for label in ("host-wide claims", "claim sets"):
        s = modes[label]
        out.write("| %s | %.1f %% (%s) | %d of %d | %s | %d | %d of %d | "
                  "%.2f s (%s) | %.1f s (%.1f-%.1f) | %d (%d) |\n"
                  % (label, s["chosen_percent"],
                     ", ".join("%.1f %%" % p for p in s["chosen_percent_per_run"]),
                     s["domains_whole_on_chosen"], s["domains_built"],
                     "; ".join(",".join(map(str, c))
                               for c in s["chose_per_node_per_run"]),
                     s["domains_over_fit"], s["failed_builds"], s["builds"],
                     s["build_s_median"],
                     ", ".join("%.2f s" % b for b in s["build_s_median_per_run"]),
                     s["wall_s_median"], s["wall_s_min"], s["wall_s_max"],
                     s["overlapping_placements"],
                     s["overlapping_with_common_node"]))
    if ratio is not None:
        out.write("\nMedian build time, claim sets / host-wide claims: %.4f "
                  "(%+.1f %%).\n" % (ratio, (ratio - 1) * 100))
    phases_table(out, modes)


def phases_table(out, modes):
    """Where a build's time went, per claim mode (medians)."""
    def show(v, unit):
        return "-" if v is None else "%.2f %s" % (v, unit)
    out.write("\nWhere a build's time went (medians over the builds; the "
              "lock only exists with claim sets):\n\n"
              "| claim mode | start to claim | claim to populate | populate "
              "| populated to end | waiting for the placement lock | holding "
              "it | 4 KiB pages populated singly |\n"
              "|---|---|---|---|---|---|---|---|\n")
    for label in ("host-wide claims", "claim sets"):
        p = modes[label].get("phases")
        if not p:
            continue
        out.write("| %s | %s | %s | %s | %s | %s | %s | %s |\n"
                  % (label, show(p["to_claim_s"], "s"),
                     show(p["claim_to_populate_s"], "s"),
                     show(p["populate_s"], "s"),
                     show(p["populated_to_end_s"], "s"),
                     show(p["lock_wait_ms"], "ms"),
                     show(p["lock_held_ms"], "ms"),
                     "-" if p["small_pages"] is None else p["small_pages"]))


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    cg = {}
    with open(sys.argv[1]) as f:
        for line in f:
            key, value = line.split()
            cg[key] = float(value)
    with open(sys.argv[2]) as f:
        storm = json.load(f)
    pairs, installs = int(sys.argv[3]), int(sys.argv[4])
    modes = storm["by_mode"]
    place_modes = storm.get("placement", {}).get("by_mode", {})
    for needed in ("host-wide claims", "claim sets"):
        if needed not in modes:
            sys.exit("bench-report: no finished storm with %s" % needed)
        if needed not in place_modes:
            sys.exit("bench-report: no finished placement storm with %s" % needed)
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "allocator_instructions_per_pair": {
            case: {"base": cg["pair_%s_base" % case],
                   "series": cg["pair_%s_series" % case],
                   "change_percent": change(cg["pair_%s_base" % case],
                                            cg["pair_%s_series" % case])}
            for case in ("none", "claims")},
        "pairs": pairs,
        "install_64_entries_instructions": cg["install64"],
        "installs": installs,
        "storm": modes,
        "storm_build_s_median_ratio": storm.get("build_s_median_ratio"),
        "storm_runs": storm["runs"],
        "placement_storm": place_modes,
        "placement_storm_build_s_median_ratio":
            storm.get("placement", {}).get("build_s_median_ratio"),
        "placement_storm_runs": storm.get("placement", {}).get("runs", []),
    }
    with open(sys.argv[5], "w") as f:
        json.dump(results, f, indent=1)
        f.write("\n")

    m = results["machine"]
    out = sys.stdout
    out.write("# make bench: figures of record\n\n")
    out.write("Measured %s on %s (%d CPUs, %s).\n\n"
              % (results["date"], m["host"], m["cpus"], m["cpu_model"]))
    out.write("## Boot storm on the emulated 4-node host\n\n")
    out.write("The storm of `make demo` (PV domains of Debian's kernel built "
              "by `xl create -p` all at once: two bound to each node but node "
              "0, which end nearly full, and rivals without node affinity), "
              "%d times with each claim mode, alternated. A build's time runs "
              "from the start to the end of its `xl create -p`; times are "
              "those of a TCG-emulated host: compare the modes with each "
              "other, not with hardware.\n\n" % modes["claim sets"]["runs"])
    out.write("| claim mode | node-bound pages on their node | bound domains "
              "entirely on their node | failed builds | build time, median "
              "(per storm) | storm wall time, median (min-max) | rival "
              "populates before / in / after a bound builder's claim-to-"
              "populate window |\n|---|---|---|---|---|---|---|\n")
    for label in ("host-wide claims", "claim sets"):
        s = modes[label]
        c = s["rival_populate"]
        out.write("| %s | %.1f %% (per run: %s) | %d of %d | %d of %d | "
                  "%.2f s (%s) | %.1f s (%.1f-%.1f) | %d / %d / %d |\n"
                  % (label, s["node_local_percent"],
                     ", ".join("%.1f %%" % p for p in s["node_local_percent_per_run"]),
                     s["bound_domains_whole"], s["bound_domains"],
                     s["failed_builds"], s["builds"], s["build_s_median"],
                     ", ".join("%.2f s" % b for b in s["build_s_median_per_run"]),
                     s["wall_s_median"], s["wall_s_min"], s["wall_s_max"],
                     c["before_claim"], c["in_window"], c["after_populate"]))
    ratio = storm.get("build_s_median_ratio")
    if ratio is not None:
        out.write("\nMedian build time, claim sets / host-wide claims: %.4f "
                  "(%+.1f %%; the goal is +2 %% or less).\n"
                  % (ratio, (ratio - 1) * 100))
    phases_table(out, modes)
    placement(out, place_modes,
              storm["placement"].get("build_s_median_ratio"))
    out.write("\n## Allocator cost (callgrind, release flags)\n\n")
    out.write("Instructions per allocate+free pair of order 0 on the path "
              "where unclaimed memory serves the request (%d pairs):\n\n"
              "| case | base | series | change |\n|---|---|---|---|\n" % pairs)
    for case, label in (("none", "no claims anywhere"),
                        ("claims", "another domain holds claims")):
        a = results["allocator_instructions_per_pair"][case]
        out.write("| %s | %.1f | %.1f | %+.2f %% |\n"
                  % (label, a["base"], a["series"], a["change_percent"]))
    out.write("\nInstalling a claim set of 64 node entries: %.1f instructions "
              "per install (%d installs).\n" % (cg["install64"], installs))


if __name__ == "__main__":
    main()
