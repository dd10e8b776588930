# bash completion for sketchc and sketch-import (installed under both names).
#
# Subcommands, options and option values are read from the tools' own --help, so the
# completion follows the installed version, new commands included, with nothing to
# regenerate. Each help text is read once per shell.

declare -gA _sketch_help_cache

# Prints one line per subcommand ("check command") and per option ("--format text,json",
# "--output value", "--jobs number", "--kernel kernel", "--quiet flag") of the command line in "$@".
_sketch_help_table() {
  local key="$*"
  if [[ -z ${_sketch_help_cache[$key]+set} ]]; then
    _sketch_help_cache[$key]=$(LC_ALL=C "$@" --help 2>/dev/null | awk '
      /^[A-Za-z][^ ]*:/ { section = $1; next }
      section == "Options:" && /^  -/ {
        kind = "flag"
        if ($2 ~ /^[A-Z]+(:|$)/) kind = "value"
        if ($2 ~ /^(INT|UINT|FLOAT|NUMBER)/) kind = "number"
        if ($2 ~ /^KERNEL/) kind = "kernel"
        if (match($2, /\{[^}]*\}/)) kind = substr($2, RSTART + 1, RLENGTH - 2)
        n = split($1, names, ",")
        for (i = 1; i <= n; i++) print names[i], kind
      }
      section == "Subcommands:" && /^  [a-z]/ { print $1, "command" }')
  fi
  printf '%s\n' "${_sketch_help_cache[$key]}"
}

# The kernels `sketchc kernels` lists (built-in and Lua plug-ins), one per line.
_sketch_kernel_names() {
  sketchc kernels 2>/dev/null | awk '/^[^ ]/ { print $1 }'
}

# Completes the word under the cursor from a help table; positional arguments are files
# matching the glob pattern $2 (extglob) or folders.
_sketch_complete_from() {
  local table=$1 pattern=$2 cur=${COMP_WORDS[COMP_CWORD]} prev=
  ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
  local kind
  kind=$(awk -v o="$prev" '$1 == o && $2 != "command" { print $2; exit }' <<<"$table")
  case $kind in
    '' | flag) ;;
    number) return ;;
    kernel)
      mapfile -t COMPREPLY < <(compgen -W "$(_sketch_kernel_names)" -- "$cur")
      return ;;
    value)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      return ;;
    *)
      mapfile -t COMPREPLY < <(compgen -W "${kind//,/ }" -- "$cur")
      return ;;
  esac
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(awk '$2 != "command" && !seen[$1]++ { print $1 }' <<<"$table")" -- "$cur")
    return
  fi
  local commands
  commands=$(awk '$2 == "command" { print $1 }' <<<"$table")
  if [[ -n $commands ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
    return
  fi
  compopt -o filenames 2>/dev/null
  local shopt_extglob
  shopt_extglob=$(shopt -p extglob)
  shopt -s extglob
  mapfile -t COMPREPLY < <(compgen -d -- "$cur"; compgen -f -X "!$pattern" -- "$cur")
  eval "$shopt_extglob"
}

_sketchc() {
  local tool=${COMP_WORDS[0]} table i sub=
  table=$(_sketch_help_table "$tool")
  for ((i = 1; i < COMP_CWORD; i++)); do
    if grep -qx -- "${COMP_WORDS[i]} command" <<<"$table"; then
      sub=${COMP_WORDS[i]}
      break
    fi
  done
  # Options of the tool itself (--color, -v) are accepted after the subcommand too.
  [[ -n $sub ]] && table=$(grep -v ' command$' <<<"$table"; _sketch_help_table "$tool" "$sub")
  _sketch_complete_from "$table" '*.@(sketch|yaml|yml)'
}

_sketch_import() {
  _sketch_complete_from "$(_sketch_help_table "${COMP_WORDS[0]}")" '*.@(onnx|t7|pt|pth)'
}

complete -F _sketchc sketchc
complete -F _sketch_import sketch-import
