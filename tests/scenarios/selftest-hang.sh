# Never finishes: scripts/selftest.sh uses it to show that a hanging
# scenario ends in a clear failure. Not part of any boot's list.
. /tests/scenarios/lib.sh
echo "selftest-hang: sleeping forever"
while true; do sleep 60; done
