// Command authmethods decodes, explains and builds the register links of
// Microsoft Entra ID security info,
// https://mysignins.microsoft.com/register?authMethods=NNNN&authMethodCount=1,
// whose authMethods value is a bitmask over Microsoft Graph's
// authenticationMethodModes.
//
// Run "authmethods help" for the commands, their flags and examples.
//
// # Adding a command
//
// A command is one file that declares a *command (name, one-line summary,
// synopsis, help text with examples, the common flags it takes and a setup
// function that defines its own flags on a pflag.FlagSet and returns the
// function that runs it), plus one line in the commands table in cli.go.
// Everything a command writes goes through its *invocation (output.go): see the
// helpers listed there for text, tables, JSON Lines, errors and exit codes.
//
// Helpers for reading inputs and reporting on them:
//
//	eachInput(c, args, fn)  every mask or link in args, stdin for "-" or none;
//	                        reports bad inputs (1) and "nothing found" (1)
//	classify(p, s)          one argument: a mask, else the links in it, else an error
//	decodeResult(c, it)     the decode record of an item (also its --json form)
//	decodeLine(c, r)        the one-line text form of that record
//	maskWarnings(m)         what is odd about a mask (sentinel, beta, unknown bits)
//	explainStrengths(c, it) explain's strengths section (strengths.go)
//	buildStrengthFlags(fs)  build's --strength and --policy (strengths.go)
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
