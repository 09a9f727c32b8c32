package kql

import (
	"strings"
)

// Table is a Kusto table whose rows hold URLs: one that Microsoft Defender
// XDR advanced hunting and Microsoft Sentinel both document.
type Table struct {
	Name   string // as Kusto spells it
	Column string // the string column that holds the URL
	About  string // what the table and its URL column hold, after the schema page

	// Doc and SentinelDoc are the schema pages the columns below were taken
	// from: the advanced hunting reference, and the Azure Monitor table
	// reference for the copy Microsoft Sentinel keeps in Log Analytics.
	Doc, SentinelDoc string

	xdr, sentinel string   // the documented columns, "Name:type" separated by spaces
	show          []string // columns the query keeps beside the URL, present in both schemas
	who           string   // a column naming whom a row concerns, counted by --summary
	whoCount      string   // the name of that count
}

// tables is the list every table-dependent part of a query derives from.
// Columns are copied from the schema pages cited in each row, in their
// order; a column missing from the page must not be used.
var tables = []Table{
	{
		Name:        "UrlClickEvents",
		Column:      "Url",
		About:       "Safe Links clicks from mail, Teams and Office apps: the URL clicked",
		Doc:         "https://learn.microsoft.com/defender-xdr/advanced-hunting-urlclickevents-table",
		SentinelDoc: "https://learn.microsoft.com/azure/azure-monitor/reference/tables/urlclickevents",
		xdr: `Timestamp:datetime Url:string ActionType:string AccountUpn:string Workload:string
			NetworkMessageId:string ThreatTypes:string DetectionMethods:string IPAddress:string
			IsClickedThrough:bool UrlChain:string ReportId:string`,
		sentinel: `AccountUpn:string ActionType:string _BilledSize:real DetectionMethods:string
			IPAddress:string _IsBillable:string IsClickedThrough:bool NetworkMessageId:string
			ReportId:string SourceSystem:string TenantId:string ThreatTypes:string
			TimeGenerated:datetime Type:string Url:string UrlChain:string Workload:string`,
		show:     []string{"AccountUpn", "Workload", "ActionType", "IsClickedThrough", "NetworkMessageId"},
		who:      "AccountUpn",
		whoCount: "Users",
	},
	{
		Name:        "EmailUrlInfo",
		Column:      "Url",
		About:       "URLs in mail and attachments Defender for Office 365 processed",
		Doc:         "https://learn.microsoft.com/defender-xdr/advanced-hunting-emailurlinfo-table",
		SentinelDoc: "https://learn.microsoft.com/azure/azure-monitor/reference/tables/emailurlinfo",
		xdr: `Timestamp:datetime NetworkMessageId:string Url:string UrlDomain:string
			UrlLocation:string ReportId:string`,
		sentinel: `_BilledSize:real _IsBillable:string NetworkMessageId:string ReportId:string
			SourceSystem:string TenantId:string TimeGenerated:datetime Type:string Url:string
			UrlDomain:string UrlLocation:string`,
		show:     []string{"NetworkMessageId", "UrlLocation"},
		who:      "NetworkMessageId",
		whoCount: "Messages",
	},
	{
		Name:        "DeviceNetworkEvents",
		Column:      "RemoteUrl",
		About:       "connections seen by Defender for Endpoint: a URL or only a host name",
		Doc:         "https://learn.microsoft.com/defender-xdr/advanced-hunting-devicenetworkevents-table",
		SentinelDoc: "https://learn.microsoft.com/azure/azure-monitor/reference/tables/devicenetworkevents",
		xdr: `Timestamp:datetime DeviceId:string DeviceName:string ActionType:string
			RemoteIP:string RemotePort:int RemoteUrl:string LocalIP:string LocalPort:int
			Protocol:string LocalIPType:string RemoteIPType:string InitiatingProcessSHA1:string
			InitiatingProcessSHA256:string InitiatingProcessMD5:string
			InitiatingProcessFileName:string InitiatingProcessFileSize:long
			InitiatingProcessVersionInfoCompanyName:string
			InitiatingProcessVersionInfoProductName:string
			InitiatingProcessVersionInfoProductVersion:string
			InitiatingProcessVersionInfoInternalFileName:string
			InitiatingProcessVersionInfoOriginalFileName:string
			InitiatingProcessVersionInfoFileDescription:string InitiatingProcessId:long
			InitiatingProcessCommandLine:string InitiatingProcessCreationTime:datetime
			InitiatingProcessFolderPath:string InitiatingProcessParentFileName:string
			InitiatingProcessParentId:long InitiatingProcessParentCreationTime:datetime
			InitiatingProcessAccountDomain:string InitiatingProcessAccountName:string
			InitiatingProcessAccountSid:string InitiatingProcessAccountUpn:string
			InitiatingProcessAccountObjectId:string InitiatingProcessIntegrityLevel:string
			InitiatingProcessTokenElevation:string ReportId:long AppGuardContainerId:string
			AdditionalFields:string InitiatingProcessSessionId:long
			IsInitiatingProcessRemoteSession:bool InitiatingProcessRemoteSessionDeviceName:string
			InitiatingProcessRemoteSessionIP:string`,
		sentinel: `ActionType:string AdditionalFields:dynamic AppGuardContainerId:string
			_BilledSize:real DeviceId:string DeviceName:string
			InitiatingProcessAccountDomain:string InitiatingProcessAccountName:string
			InitiatingProcessAccountObjectId:string InitiatingProcessAccountSid:string
			InitiatingProcessAccountUpn:string InitiatingProcessCommandLine:string
			InitiatingProcessCreationTime:datetime InitiatingProcessFileName:string
			InitiatingProcessFileSize:long InitiatingProcessFolderPath:string
			InitiatingProcessId:long InitiatingProcessIntegrityLevel:string
			InitiatingProcessMD5:string InitiatingProcessParentCreationTime:datetime
			InitiatingProcessParentFileName:string InitiatingProcessParentId:long
			InitiatingProcessSHA1:string InitiatingProcessSHA256:string
			InitiatingProcessTokenElevation:string InitiatingProcessVersionInfoCompanyName:string
			InitiatingProcessVersionInfoFileDescription:string
			InitiatingProcessVersionInfoInternalFileName:string
			InitiatingProcessVersionInfoOriginalFileName:string
			InitiatingProcessVersionInfoProductName:string
			InitiatingProcessVersionInfoProductVersion:string _IsBillable:string LocalIP:string
			LocalIPType:string LocalPort:int MachineGroup:string Protocol:string RemoteIP:string
			RemoteIPType:string RemotePort:int RemoteUrl:string ReportId:long SourceSystem:string
			TenantId:string TimeGenerated:datetime Type:string`,
		show:     []string{"DeviceName", "InitiatingProcessAccountUpn", "InitiatingProcessFileName", "ActionType", "DeviceId"},
		who:      "DeviceId",
		whoCount: "Devices",
	},
}

// Time columns: advanced hunting names the event time Timestamp; Sentinel's
// copies of these tables name it TimeGenerated (and have no Timestamp).
const (
	timeXDR      = "Timestamp"
	timeSentinel = "TimeGenerated"
)

// Tables returns the tables kql knows, in the order of its help.
func Tables() []Table {
	out := make([]Table, len(tables))
	copy(out, tables)
	return out
}

// lookupTable returns the known table called name, exactly as Kusto spells it.
func lookupTable(name string) (Table, bool) {
	for _, t := range tables {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}

// column is one documented column of a table.
type column struct{ name, typ string }

// columns returns the documented columns of t, for advanced hunting or for
// Sentinel.
func (t Table) columns(sentinel bool) []column {
	s := t.xdr
	if sentinel {
		s = t.sentinel
	}
	var out []column
	for _, f := range strings.Fields(s) {
		name, typ, _ := strings.Cut(f, ":")
		out = append(out, column{name, typ})
	}
	return out
}

// columnType returns the documented type of column name, or "" when t has
// no such column.
func (t Table) columnType(name string, sentinel bool) string {
	for _, c := range t.columns(sentinel) {
		if c.name == name {
			return c.typ
		}
	}
	return ""
}
