package schema

import (
	"fmt"
	"testing"

	"github.com/composelint/composelint/pkg/source"
)

func TestExp(t *testing.T) {
	for _, s := range []string{
		"services:\n  web:\n    image: nginx\n    wrongField: 1\n    restart: [1]\n    healthcheck:\n      retries: [1]\n    ports:\n      - [1]\n      - {target: 80, bad: 2}\n      - \"${PORT:-8000}:8000\"\n    environment:\n      A: [1]\nfoo: 1\n",
		"x-a: &a\n  image: x\n  bogus: 1\nservices:\n  a:\n    <<: *a\n  b:\n    <<: *a\n",
		"services: [web]\n",
		"services:\n  web: nginx\n",
		"---\n---\n[1]\n---\nservices: {a: {image: 1}}\n",
		"version: 3\nservices: {a: {image: x, depends_on: 5, dns: [a, a]}}\n",
		"services: {a: {image: x, cpus: .nan, x-foo: 1, pull_policy: sometimes, deploy: {restart_policy: {condition: sometimes}}}}\n",
		"services: {a: {image: x, volumes: [{type: bind}], build: {}}}\n",
	} {
		f := source.ParseYAML("x.yml", []byte(s))
		fmt.Println("----")
		for _, v := range Validate(f, nil) {
			fmt.Printf("%v %s\n", f.Span(v.Node).Start, v.Message)
		}
	}
}
