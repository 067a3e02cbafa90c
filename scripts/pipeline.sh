#!/usr/bin/env bash
# make pipeline: run .gitlab-ci.yml here, job by job, with gitlab-ci-local
# (the GitLab runner emulator from npm) instead of a GitLab server. No
# container engine is needed or used: --force-shell-executor runs each job
# in a shell, and --shell-isolation gives each job its own copy of the
# repository (.gitlab-ci-local/builds/JOB) with only the artifacts of the
# jobs it needs, as a runner would. Jobs run one at a time on 2 cores.
#   pipeline.sh [JOB...]    only these jobs (default: all)
# gitlab-ci-local 4.60.1 is the last release that runs on Node 20, which
# is what Debian bookworm's and this machine's npm come with.
. "$(dirname "$0")/lib.sh"

GCL_VERSION=4.60.1

main() {
    need_packages rsync
    command -v npm >/dev/null || need_packages nodejs npm
    if [ "$(gitlab-ci-local --version 2>/dev/null)" != "$GCL_VERSION" ]; then
        log "installing gitlab-ci-local $GCL_VERSION from npm"
        npm install -g "gitlab-ci-local@$GCL_VERSION" >"$BUILD/npm.log" 2>&1 ||
            { tail -n 20 "$BUILD/npm.log" >&2; die "npm install gitlab-ci-local failed"; }
    fi
    cd "$TOP"
    gitlab-ci-local --force-shell-executor --shell-isolation --concurrency 1 "$@"
}

main "$@"
