module github.com/authmethods/authmethods

go 1.26
