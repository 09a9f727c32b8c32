package kql_test

import (
	"fmt"
	"strings"

	"github.com/authmethods/authmethods/urlcodec/kql"
)

// A summary of the register links in received mail, for Microsoft Sentinel.
func ExampleQuery() {
	q, err := kql.Query(kql.Options{Table: "EmailUrlInfo", Summary: true, Sentinel: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	lines := strings.Split(q, "\n")
	fmt.Println(strings.Join(lines[:2], "\n"))
	for _, l := range lines {
		if strings.HasPrefix(l, "| summarize") || strings.HasPrefix(l, "EmailUrlInfo") {
			fmt.Println(l)
		}
	}
	// Output:
	// // Microsoft Entra ID security-info register links, and look-alike hosts,
	// // in EmailUrlInfo.Url over the last 30d (Microsoft Sentinel).
	// EmailUrlInfo
	// | summarize Events = count(), Messages = dcount(NetworkMessageId) by Day = startofday(TimeGenerated), HostClass, Mask, MaskStatus, Provenance, Methods = strcat_array(Methods, ","), UnknownBits = strcat_array(UnknownBits, ",")
}

// A table the list does not know works when its URL column is named.
func ExampleQuery_column() {
	_, err := kql.Query(kql.Options{Table: "ProxyLogs"})
	fmt.Println(err)
	q, _ := kql.Query(kql.Options{Table: "ProxyLogs", Column: "RequestUrl", Since: "7d"})
	for _, l := range strings.Split(q, "\n") {
		if strings.HasPrefix(l, "['ProxyLogs']") || strings.Contains(l, "ago(") {
			fmt.Println(l)
		}
	}
	// Output:
	// kql: table "ProxyLogs": unknown table (known: UrlClickEvents, EmailUrlInfo, DeviceNetworkEvents; for another table, name its URL column)
	// ['ProxyLogs']
	// | where Timestamp > ago(7d)
}
