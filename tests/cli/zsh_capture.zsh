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
# Keys typed while zsh is busy are typeahead, which completion may skip: give the line editor
# time to start, and wait for the candidates before typing on.
sleep 0.3
zpty -w -n z "$2"$'\t'
out=
for attempt in {1..100}; do
  while zpty -r -t z chunk; do out+=$chunk; done
  [[ $out == *'</hits>'* ]] && break
  sleep 0.1
done
sleep 0.2
zpty -w -n z $'\C-u'
zpty -w z "print -r -- '<do''ne>'"
zpty -r z rest '*<done>*'
out+=$rest
zpty -d z
for hits in ${(f)out}; do
  [[ $hits == *'<hits>'* ]] && print -r -- "${${hits#*<hits>}%%</hits>*}"
done
exit 0
