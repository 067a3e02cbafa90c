# make demo's boot storm: the same domains built once with host-wide
# claims, then once with claim sets (storm-lib.sh).
. /tests/scenarios/lib.sh
. /tests/scenarios/storm-lib.sh

if storm_needs_nodes; then
    storm_setup
    storm_run 0 1
    storm_run 1 1
fi
finish
