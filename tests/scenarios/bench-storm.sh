# make bench's boot storms: the bound storm and the placement storm, each
# with host-wide claims and with claim sets alternated, storm_runs=N times
# each (3 unless the command line says otherwise), so that a drift of the
# machine over the runs hits both modes alike. Both storms are sized once,
# before the first run.
. /tests/scenarios/lib.sh
. /tests/scenarios/storm-lib.sh

if storm_needs_nodes; then
    runs=$(arg storm_runs || echo 3)
    storm_setup
    place_setup
    r=1
    while [ "$r" -le "$runs" ]; do
        storm_run 0 "$r"
        storm_run 1 "$r"
        place_run 0 "$r"
        place_run 1 "$r"
        r=$((r + 1))
    done
fi
finish
