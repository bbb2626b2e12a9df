// Package rules holds composelint's rules, one file per rule, named after its ID.
package rules

import "github.com/composelint/composelint/pkg/lint"

// All returns every rule, sorted by ID: this list is the whole set, and a
// rule not named here does not exist. The meta-rules (internal-error,
// fix-failed, invalid-config, …) have no Run: composelint itself reports
// under their IDs, and they are listed so that every ID a report can carry
// is documented.
func All() []*lint.Rule {
	return []*lint.Rule{
		CaddyDataNotPersisted,
		CaddyfileNotLoaded,
		ComposeInvalid,
		ComposeSchema,
		ComposeWarning,
		DangerousCapability,
		DatabaseInProduction,
		DependsOnInactiveProfile,
		DependsOnUndefined,
		DependsOnWithoutHealthcheck,
		DevelopmentOnlyInProduction,
		DjangoChecksMissing,
		DockerSocketMounted,
		DuplicateContainerName,
		DuplicateHostPort,
		EnvFileMissing,
		ExternalDatabaseHost,
		FixFailed,
		HardcodedSecret,
		HostDevice,
		HostNamespace,
		HostNetwork,
		HTTPSInconsistent,
		InternalError,
		InvalidConfig,
		InvalidDirective,
		MergeAppends,
		MigrationsOnScaledService,
		ObsoleteVersion,
		PostgresDataPath,
		Privileged,
		ProjectNotLinted,
		ProxyGetsAppSecrets,
		ProxyOnDatabaseNetwork,
		ProxyServesUnmounted,
		ProxyUpstreamUnreachable,
		ProxyVolumeReadonly,
		PublishedPortAllInterfaces,
		RemoteInclude,
		SecurityProfileDisabled,
		SensitiveHostMount,
		UndefinedVariable,
		UndefinedVolume,
		UnpinnedImage,
		UnusedNetwork,
		UnusedVolume,
		WwwOnThirdLevelDomain,
		YamlSyntax,
	}
}
