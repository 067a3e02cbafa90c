# make check's boot storms (storm-lib.sh): the bound storm, its domains
# built at once with host-wide claims, then with claim sets; then the
# placement storm (domains placed automatically, all at once) with claim
# sets only, checking what holds by design: every domain is where its
# claim set and placement put it, and no node holds more of them than
# fit. Its run with host-wide claims checks nothing, so it is left to
# make demo and make bench: on a loaded machine each run of it takes
# about 45 s of the 4node boot.
. /tests/scenarios/lib.sh
. /tests/scenarios/storm-lib.sh

if storm_needs_nodes; then
    storm_setup
    storm_run 0 1
    storm_run 1 1
    place_setup
    place_run 1 1
fi
finish
