// Command authmethods decodes, explains and builds the register links of
// Microsoft Entra ID security info,
// https://mysignins.microsoft.com/register?authMethods=NNNN&authMethodCount=1,
// whose authMethods value is a bitmask over Microsoft Graph's
// authenticationMethodModes.
//
// Run "authmethods help" for the commands, their flags and examples.
//
// # Finding your way
//
// One file per command (decode.go, explain.go, build.go, strengths.go,
// strip.go, scan.go, list.go, diff.go, probe.go, version.go), each declaring
// a *command: name, summary, synopsis, help for a person with examples, the
// shared flags it takes, and a setup function that defines its own flags on
// a pflag.FlagSet and returns the function that runs it. Adding a command is
// one such file plus one line in the table in command.go.
//
// Shared pieces, one home each:
//
//	command.go     the command type and table; run and exec; shared flags
//	help.go        root and command help; did-you-mean for commands and flags
//	invocation.go  one run of a command: streams, flags, width; text, JSON
//	table.go       tables fitted to the terminal, or aligned text in a pipe
//	status.go      exit statuses; errors, warnings, verdict-to-exit (judge)
//	input.go       arguments, files, stdin; catalog and policy files; --trust-host
//	classify.go    what one argument or stdin line holds (masks, links)
//	records.go     the JSON shapes decode, scan, build and probe share
//	text.go        quoting what users typed; errors in a person's words
//
// What explain says is computed by package urlcodec/explain; explain.go only
// prints it. Facts about Entra live in package bitmask and bitmask/strength.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
