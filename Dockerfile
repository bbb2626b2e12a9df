# composelint as a container image: docker run --rm -v "$PWD:/src" composelint
FROM golang:1.26 AS build
WORKDIR /build
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Empty: the version comes from the build information (VCS revision).
ARG VERSION=
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /composelint ./cmd/composelint

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /composelint /usr/local/bin/composelint
WORKDIR /src
USER nonroot:nonroot
ENTRYPOINT ["composelint"]
