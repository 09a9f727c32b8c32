package main

import "flag"

var update = flag.Bool("update", false, "rewrite the golden outputs of testdata/script")
