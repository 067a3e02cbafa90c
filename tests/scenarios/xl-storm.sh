# make check's boot storms (storm-lib.sh): the bound storm, its domains
# built at once with host-wide claims, then with claim sets; then the
# placement storm (domains placed automatically, all at once) the same
# way. Only what holds by design is checked: for the placement storm,
# that with claim sets every domain is where its claim set and placement
# put it, and no node holds more of them than fit; with host-wide claims
# its figures are printed and nothing about them is checked.
. /tests/scenarios/lib.sh
. /tests/scenarios/storm-lib.sh

if storm_needs_nodes; then
    storm_setup
    storm_run 0 1
    storm_run 1 1
    place_setup
    place_run 0 1
    place_run 1 1
fi
finish
