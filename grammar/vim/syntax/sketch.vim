" Vim syntax file for the sketch language (.sketch); see sketch(5) and grammar/sketch.ebnf.
" Install: copy grammar/vim/ into ~/.vim/ (or add it to 'runtimepath').
if exists("b:current_syntax")
  finish
endif

syn keyword sketchStatement sketch input output weights
syn keyword sketchDefine    block nextgroup=sketchBlockName skipwhite
syn keyword sketchConstant  true false none True False None
syn match   sketchBlockName "\h\w*" contained
syn match   sketchDecl      "^\s*\h\w*\ze\s*=[^=]"
syn match   sketchCall      "\h\w*\ze\s*("
syn match   sketchKeyword   "\h\w*\ze\s*=" contained containedin=sketchArgs
syn region  sketchArgs      matchgroup=NONE start="(" end=")" transparent contains=ALLBUT,sketchDecl
syn match   sketchArrow     "->"
syn match   sketchPort      "\.\zs\w\+"
syn match   sketchNumber    "\<\d\+\%(\.\d\+\)\=\%([eE][+-]\=\d\+\)\=\>"
syn match   sketchNumber    "\.\d\+\%([eE][+-]\=\d\+\)\=\>"
syn match   sketchType      "\<\%(float\|bfloat\|int\|uint\)\d*\ze\s*\["
syn match   sketchType      "\<bool\ze\s*\["
syn region  sketchString    start=+"+ skip=+\\.+ end=+"+ oneline
syn region  sketchString    start=+'+ skip=+\\.+ end=+'+ oneline
syn match   sketchComment   "#.*$" contains=@Spell

hi def link sketchStatement Statement
hi def link sketchDefine    Structure
hi def link sketchBlockName Type
hi def link sketchConstant  Constant
hi def link sketchDecl      Identifier
hi def link sketchCall      Function
hi def link sketchKeyword   Special
hi def link sketchArrow     Operator
hi def link sketchPort      Label
hi def link sketchNumber    Number
hi def link sketchType      Type
hi def link sketchString    String
hi def link sketchComment   Comment

let b:current_syntax = "sketch"
