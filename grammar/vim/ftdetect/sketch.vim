au BufRead,BufNewFile *.sketch setfiletype sketch
