/*
 * The OpenTelemetry Transformation Language (OTTL), as pkg/ottl/LANGUAGE.md of the Collector
 * describes it: a statement is an editor call with an optional where clause; a condition is a
 * boolean expression. Precedence, highest first: not, and, or; in math * and / before + and -.
 */
grammar Ottl;

statement
  : editor whereClause? EOF
  ;

condition
  : booleanExpression EOF
  ;

editor
  : LOWER_IDENT LPAREN arguments? RPAREN
  ;

whereClause
  : WHERE booleanExpression
  ;

arguments
  : argument (COMMA argument)*
  ;

argument
  : (LOWER_IDENT EQUALS)? value
  ;

booleanExpression
  : NOT booleanExpression                      # notExpression
  | booleanExpression AND booleanExpression    # andExpression
  | booleanExpression OR booleanExpression     # orExpression
  | value comparisonOp value                   # comparison
  | LPAREN booleanExpression RPAREN            # groupedExpression
  | (TRUE | FALSE)                             # booleanLiteral
  | converter                                  # converterCondition
  ;

comparisonOp
  : EQ | NE | LT | LE | GT | GE
  ;

value
  : NIL                # nilValue
  | STRING             # stringValue
  | BYTES              # bytesValue
  | (TRUE | FALSE)     # boolValue
  | UPPER_IDENT        # enumValue
  | list               # listValue
  | map                # mapValue
  | mathExpression     # mathValue
  ;

mathExpression
  : mathExpression (STAR | SLASH) mathExpression    # multiplicative
  | mathExpression (PLUS | MINUS) mathExpression    # additive
  | LPAREN mathExpression RPAREN                    # groupedMath
  | MINUS? (INT | FLOAT)                            # numberLiteral
  | path                                            # pathTerm
  | converter                                       # converterTerm
  ;

converter
  : UPPER_IDENT LPAREN arguments? RPAREN key*
  ;

path
  : LOWER_IDENT (DOT LOWER_IDENT)* key*
  ;

key
  : LBRACK (STRING | INT | path | converter) RBRACK
  ;

list
  : LBRACK (value (COMMA value)*)? RBRACK
  ;

map
  : LBRACE (mapItem (COMMA mapItem)*)? RBRACE
  ;

mapItem
  : STRING COLON value
  ;

WHERE : 'where' ;
AND : 'and' ;
OR : 'or' ;
NOT : 'not' ;
TRUE : 'true' ;
FALSE : 'false' ;
NIL : 'nil' ;

EQ : '==' ;
NE : '!=' ;
LE : '<=' ;
GE : '>=' ;
LT : '<' ;
GT : '>' ;
EQUALS : '=' ;

LPAREN : '(' ;
RPAREN : ')' ;
LBRACK : '[' ;
RBRACK : ']' ;
LBRACE : '{' ;
RBRACE : '}' ;
DOT : '.' ;
COMMA : ',' ;
COLON : ':' ;
PLUS : '+' ;
MINUS : '-' ;
STAR : '*' ;
SLASH : '/' ;

BYTES : '0x' [0-9a-fA-F]+ ;
FLOAT
  : [0-9]+ '.' [0-9]* EXPONENT?
  | '.' [0-9]+ EXPONENT?
  | [0-9]+ EXPONENT
  ;
INT : [0-9]+ ;
STRING : '"' ( '\\' . | ~["\\\r\n] )* '"' ;
// A string the line ends inside: its own token, so the error can say so instead of
// reporting the stray quote.
UNTERMINATED_STRING : '"' ( '\\' . | ~["\\\r\n] )* ;
UPPER_IDENT : [A-Z] [A-Za-z0-9_]* ;
LOWER_IDENT : [a-z_] [a-zA-Z0-9_]* ;

WS : [ \t\r\n]+ -> skip ;
// Anything else becomes a token the parser cannot use, so every input gets a parse error with
// a position rather than a lexer message on stderr.
UNKNOWN_CHAR : . ;

fragment EXPONENT : [eE] [+-]? [0-9]+ ;
