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
// Everything a command writes goes through its *ctx (output.go): see the
// helpers listed there for text, tables, JSON Lines, errors and exit codes.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
