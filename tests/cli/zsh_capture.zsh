# zsh_capture.zsh COMPLETIONS_DIR "command line": prints, one group per line, the candidates
# that zsh's completion offers at the end of the line, by typing it and a Tab into an
# interactive zsh on a pseudo-terminal whose compadd also reports what it adds.
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PROMPT='' RPROMPT=''"
zpty -w z "fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "zstyle ':completion:*' list-grouped false"
zpty -w z "compadd () { builtin compadd -O __hits \"\$@\"; print -r -- \"<hits>\${(j: :)__hits}</hits>\" >/dev/tty; builtin compadd \"\$@\" }"
# The markers are split in the typed text, so that only their output matches.
zpty -w z "print -r -- '<rea''dy>'"
zpty -r z out '*<ready>*'
zpty -w -n z "$2"$'\t'
zpty -w -n z $'\C-u'
zpty -w z "print -r -- '<do''ne>'"
zpty -r z out '*<done>*'
zpty -d z
for hits in ${(f)out}; do
  [[ $hits == *'<hits>'* ]] && print -r -- "${${hits#*<hits>}%%</hits>*}"
done
exit 0
