#!/bin/sh
# Installs what gpuq needs to build and test on Debian 12 (and derivatives).
# Uses sudo when not root.  Installs only what is missing.
set -eu

PKGS="build-essential cmake pkg-config libuv1-dev libjansson-dev
libsqlite3-dev libssh2-1-dev libncurses-dev libcmocka-dev tmux procps
perl python3 zlib1g-dev libssl-dev libyaml-dev
slurmctld slurmd slurm-client munge
openssh-client openssh-server clang libclang-rt-14-dev"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "gpuq: installing:$missing" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
