// check.js parses and binds Kusto queries with Kusto's own language service
// (@kusto/language-service-next, the parser and binder Microsoft ships for
// its editors), against the table schemas it is given. It does not run
// them: there is no data, only names and types.
//
// Usage: node check.js DIR < request.json
//   DIR holds node_modules/@kusto/language-service-next (npm ci --prefix DIR).
//   request: {"queries": [{"name": "...", "text": "...",
//                          "tables": [{"name": "T", "schema": "(A:string, ...)"}]}]}
// Writes one JSON object: {"version": "...", "results": [{"name", "diagnostics":
// [{"severity", "code", "message", "start", "length"}], "columns": [{"name", "type"}]}]}
"use strict";
const fs = require("fs");
const path = require("path");

const dir = process.argv[2];
if (!dir) {
	process.stderr.write("usage: node check.js DIR < request.json\n");
	process.exit(2);
}
const pkg = path.join(path.resolve(dir), "node_modules", "@kusto", "language-service-next");
require(path.join(pkg, "bridge.js")); // defines the global Bridge runtime
require(path.join(pkg, "Kusto.Language.Bridge.js")); // defines the global Kusto
const version = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")).version;

const K = Kusto.Language;
const S = K.Symbols;

function list(l) {
	const out = [];
	for (let i = 0; l && i < l.Count; i++) out.push(l.getItem(i));
	return out;
}

const req = JSON.parse(fs.readFileSync(0, "utf8"));
const results = req.queries.map((q) => {
	const tables = q.tables.map((t) => new S.TableSymbol.$ctor7(t.name, t.schema, null));
	const globals = K.GlobalState.Default.WithDatabase(new S.DatabaseSymbol.ctor("hunting", tables));
	const code = K.KustoCode.ParseAndAnalyze(q.text, globals);
	const diagnostics = list(code.GetDiagnostics()).map((d) => ({
		severity: String(d.Severity),
		code: d.Code,
		message: d.Message,
		start: d.Start,
		length: d.Length,
	}));
	const rt = code.ResultType;
	const columns = rt && rt.Columns ? list(rt.Columns).map((c) => ({ name: c.Name, type: c.Type.Name })) : [];
	return { name: q.name, diagnostics, columns };
});
process.stdout.write(JSON.stringify({ version, results }) + "\n");
