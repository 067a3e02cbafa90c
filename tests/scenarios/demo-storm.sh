# make demo's boot storms (storm-lib.sh): the bound storm built once with
# host-wide claims, then once with claim sets; then the placement storm
# (domains placed automatically, all at once) the same way.
. /tests/scenarios/lib.sh
. /tests/scenarios/storm-lib.sh

if storm_needs_nodes; then
    storm_setup
    place_setup
    storm_run 0 1
    storm_run 1 1
    place_run 0 1
    place_run 1 1
fi
finish
