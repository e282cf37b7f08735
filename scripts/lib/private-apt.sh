# private-apt.sh — sourced by scripts that fetch one Debian package (source or binary) from a
# suite the machine does not use (trixie on Debian 12), through a private apt configuration:
# own sources list, state, lists and cache under DIR; /etc/apt/sources.list{,.d} are not
# read and the system's package lists are not touched.
#
#   private_apt_opts DIR     fills the array PRIVATE_APT_OPTS with the apt-get options for DIR
#                            (DIR/sources.list is the caller's to write)
private_apt_opts() {
    local apt_dir=$1
    mkdir -p "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial"
    PRIVATE_APT_OPTS=(
        -o "Dir::Etc::SourceList=$apt_dir/sources.list"
        -o "Dir::Etc::SourceParts=/dev/null"
        -o "Dir::State=$apt_dir/state"
        -o "Dir::State::Lists=$apt_dir/state/lists"
        -o "Dir::State::status=/var/lib/dpkg/status"
        -o "Dir::Cache=$apt_dir/cache"
        -o "Debug::NoLocking=1"
        -o "Acquire::Retries=3"
        -o "Acquire::Languages=none"
    )
    # As root apt downloads as user _apt, which cannot write into a root-owned
    # work tree: download as root directly instead of warning about it.
    [ "$(id -u)" -ne 0 ] || PRIVATE_APT_OPTS+=(-o "APT::Sandbox::User=root")
}
