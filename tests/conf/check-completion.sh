#!/bin/bash
# The bash completions against the programs' own help: every command and
# option `pathwarden --help`, `pathwarden COMMAND --help` and
# `pathwarden-agent --help` list is offered, and nothing they do not list,
# so the two cannot drift apart.  Needs bash alone: the scripts use
# complete/compgen, not bash-completion's helpers.  Prints TAP.
# Usage: check-completion.sh PATHWARDEN PATHWARDEN-AGENT COMPLETION_DIR
set -u
pw=$1; ag=$2; dir=$3
src=$(cd "$(dirname "$0")" && pwd)
. "$src/../tap.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# shellcheck source=/dev/null
. "$dir/pathwarden"
# shellcheck source=/dev/null
. "$dir/pathwarden-agent"

# offers WORD...: what bash offers for a command line of these words, the
# last one being completed ("" for a new word), one per line, sorted.
offers() {
	local fn
	fn=$(complete -p "$1" 2>/dev/null | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
	[ -n "$fn" ] || { echo "# no completion for $1"; return 1; }
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	"$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort -u
}

# same DESC WANT GOT: two sorted lists, equal
same() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		diff <(echo "$2") <(echo "$3") | sed -n 's/^[<>]/#   &/p'
		echo "#   (< the help lists it, > completion offers it)"
	fi
}

# has DESC LIST WORD...: every WORD is in LIST
has() {
	local d=$1 list=$2 miss=
	shift 2
	for w; do
		grep -qxF -- "$w" <<< "$list" || miss="$miss $w"
	done
	if [ -z "$miss" ]; then ok "$d"; else not_ok "$d"; echo "#   missing:$miss"; fi
}

# The options named in TEXT: -x and --long-word tokens, sorted.
options_in() {
	grep -oE -- '(^|[][ ,|(])--?[A-Za-z][-A-Za-z]*' <<< "$1" |
		sed 's/^[][ ,|(]//' | sort -u
}

# ---- pathwarden ------------------------------------------------------

"$pw" --help > "$tmp/help" 2>&1
help=$(cat "$tmp/help")
commands=$(sed -n '/^commands:/,/^[^ ]/p' "$tmp/help" |
	awk '/^  [a-z]/ { print $1 }' | sort -u)
check "pathwarden --help lists commands" [ "$(wc -l <<< "$commands")" -ge 8 ]
same "pathwarden <TAB>: exactly the commands --help lists" \
	"$commands" "$(offers pathwarden "")"
same "after global options and their arguments: the commands" \
	"$commands" "$(offers pathwarden -v -c x.conf --root d --no-rtpg "")"
same "pathwarden d<TAB>" "$(grep '^d' <<< "$commands")" \
	"$(offers pathwarden d)"
# global options: the usage line's and the indented option lines'
global=$( { sed -n '1p' "$tmp/help"
	    grep -E '^  -' "$tmp/help" | awk '{ print $1 }'; } )
global=$(options_in "$global" | grep -v -- '^-h$')
has "pathwarden -<TAB>: every global option --help lists" \
	"$(offers pathwarden -)" $global --help
same "pathwarden --<TAB>: exactly the long ones" \
	"$( (grep -- '^--' <<< "$global"; echo --help) | sort -u)" \
	"$(offers pathwarden --)"
for c in $commands; do
	"$pw" "$c" --help > "$tmp/c" 2>&1
	# the usage line after the command's name
	opts=$(sed -n "1s/^usage: pathwarden .* $c//p" "$tmp/c")
	want=$( (options_in "$opts"; echo --help) | sort -u)
	same "pathwarden $c -<TAB>: exactly the options '$c --help' lists" \
		"$want" "$(offers pathwarden "$c" -)"
done
same "an option's value is not completed with options" "" \
	"$(offers pathwarden watch --interval "")"
same "nor a bench scenario list" "" "$(offers pathwarden bench -s "")"
mkdir "$tmp/d1" "$tmp/d2"
: > "$tmp/f1"
same "--root: directories" "$(printf '%s\n' "$tmp/d1" "$tmp/d2")" \
	"$(offers pathwarden --root "$tmp/")"
has "-c: files" "$(offers pathwarden -c "$tmp/")" "$tmp/f1"
same "capture DIR: directories" "$(printf '%s\n' "$tmp/d1" "$tmp/d2")" \
	"$(offers pathwarden capture "$tmp/")"
has "bench -B: files" "$(offers pathwarden bench -B "$tmp/")" "$tmp/f1"

# ---- pathwarden-agent ------------------------------------------------

"$ag" --help > "$tmp/ahelp" 2>&1
acmds=$(sed -n '/^commands:/,/^$/p' "$tmp/ahelp" |
	awk '/^  [a-z]/ { print $1 }' | sort -u)
check "pathwarden-agent --help lists commands" [ "$(wc -l <<< "$acmds")" -ge 5 ]
same "pathwarden-agent <TAB>: exactly the commands --help lists" \
	"$acmds" "$(offers pathwarden-agent "")"
same "after options and their arguments: the commands" \
	"$acmds" "$(offers pathwarden-agent -b lio -r /x -n "")"
aopts=$(sed -n '/^options:/,/^$/p' "$tmp/ahelp" | grep -E '^  -' |
	sed 's/   .*//')
aopts=$(options_in "$aopts")
check "pathwarden-agent --help lists options" [ "$(wc -l <<< "$aopts")" -ge 30 ]
same "pathwarden-agent -<TAB>: exactly the options --help lists" \
	"$aopts" "$(offers pathwarden-agent -)"
same "options after the command too" \
	"$(grep -- '^--' <<< "$aopts")" "$(offers pathwarden-agent demote --)"
# "-b, --backend scst|lio"
backends=$(sed -n 's/.*--backend \([a-z|]*\).*/\1/p' "$tmp/ahelp" | tr '|' '\n' |
	sort -u)
same "--backend: the backends --help names" "$backends" \
	"$(offers pathwarden-agent --backend "")"
# "STATE: active, nonoptimized, ..., transitioning; also ..."
states=$(sed -n '/^STATE: /,/;/p' "$tmp/ahelp" | tr '\n' ' ' |
	sed 's/^STATE: //; s/;.*//' | tr ',' '\n' | tr -d ' ' | sed '/^$/d' |
	sort -u)
check "pathwarden-agent --help names the states" [ "$(wc -l <<< "$states")" -eq 7 ]
same "--master-state: the states --help names" "$states" \
	"$(offers pathwarden-agent --master-state "")"
same "-i: the states" "$states" "$(offers pathwarden-agent -i "")"
same "set-state GROUP <TAB>: the states" "$states" \
	"$(offers pathwarden-agent -b lio set-state hpms01 "")"
same "set-state <TAB>: a group is not guessed" "" \
	"$(offers pathwarden-agent set-state "")"
same "check <TAB> <TAB>: the states, or - to skip" \
	"$( (echo "$states"; echo -) | sort -u)" \
	"$(offers pathwarden-agent check active "")"
same "check's third word: nothing" "" \
	"$(offers pathwarden-agent check active standby "")"
same "--root: directories" "$(printf '%s\n' "$tmp/d1" "$tmp/d2")" \
	"$(offers pathwarden-agent --root "$tmp/")"

tap_end
