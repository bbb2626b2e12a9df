package rules

import (
	"path"
	"regexp"
	"strings"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
)

var HostDevice = &lint.Rule{
	ID:                    "host-device",
	Summary:               "a service is given a host device that bypasses isolation (`/dev/mem`, disks, `/dev/kmsg`…)",
	Severity:              lint.Error,
	SecuritySeverity:      8.8,
	DevelopmentWeighsLess: true,
	Run:                   hostDevice,
	Doc: lint.Doc{
		What: "Reports `devices` entries that expose raw memory or I/O ports (`/dev/mem`, `/dev/kmem`, `/dev/port`), " +
			"block devices (`/dev/sd*`, `/dev/nvme*`, `/dev/vd*`, `/dev/xvd*`, `/dev/mmcblk*`, `/dev/md*`, `/dev/loop*`, " +
			"`/dev/dm-*`, `/dev/mapper/*`, `/dev/disk/*`, `/dev/rbd*`), the ZFS control device or the kernel log " +
			"(`/dev/kmsg`). GPUs, serial ports, `/dev/net/tun`, `/dev/fuse` and sound or video devices are not reported.",
		Why: "A container that can write a host disk's block device can rewrite any file of the host's filesystem, its " +
			"own isolation included; `/dev/mem` and `/dev/port` reach the hardware directly. Give the service a " +
			"volume or a bind mount of the directory it needs instead.",
		Example: "services:\n  smart:\n    image: ghcr.io/example/disk-tool:1.0\n    devices:\n      - /dev/sda:/dev/sda\n",
		Instead: "services:\n  smart:\n    image: ghcr.io/example/disk-tool:1.0\n    volumes:\n      - data:/data\nvolumes:\n  data:\n",
	},
}

// dangerousDevices match host device paths that bypass container isolation.
var dangerousDevices = []struct {
	re   *regexp.Regexp
	what string
}{
	{regexp.MustCompile(`^/dev/(mem|kmem|port)$`), "raw memory or I/O ports"},
	{regexp.MustCompile(`^/dev/(sd[a-z]|nvme|vd[a-z]|xvd[a-z]|hd[a-z]|mmcblk|md\d|md/|disk/|loop|dm-|mapper/|rbd)`), "a block device: the host's disks"},
	{regexp.MustCompile(`^/dev/zfs$`), "the ZFS pool control device"},
	{regexp.MustCompile(`^/dev/kmsg$`), "the kernel log, readable and writable"},
}

func hostDevice(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		for _, d := range svc.Devices {
			host := d.Source
			if !strings.HasPrefix(host, "/") {
				continue
			}
			host = path.Clean(host)
			for _, dd := range dangerousDevices {
				if dd.re.MatchString(host) {
					p.ReportPath(index.Path{"services", svc.Name, "devices", index.Item(d.Target)},
						svc.Name+" is given the host device "+host+" ("+dd.what+"), which bypasses container isolation")
					break
				}
			}
		}
	}
}
