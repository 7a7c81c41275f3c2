//! Turning the parsed auth flags into authenticators, or saying which feature a flag needs.

#[cfg(feature = "http")]
impl super::AuthArgs {
    /// Adds the authenticators the flags describe to `server`, with their keys loaded, or says
    /// why they cannot be (a flag whose feature is off is an error, never ignored).
    pub(crate) async fn apply(&self, mut server: crate::Server) -> Result<crate::Server, String> {
        server = self.apply_jwt(server).await?;
        if let Some(source) = &self.auth_api_keys {
            server = api_keys(server, source)?;
        }
        for url in &self.auth_servers {
            server = server.authorization_server(url);
        }
        if let Some(url) = &self.resource_url {
            server = server.resource_url(url);
        }
        Ok(server)
    }

    /// The JWT flag given, if any, for an error naming it.
    #[cfg(not(feature = "jwt"))]
    fn jwt_flag(&self) -> Option<&'static str> {
        [
            (self.auth_jwt_secret.is_some(), "--auth-jwt-secret"),
            (self.auth_public_key.is_some(), "--auth-public-key"),
            (self.auth_jwks.is_some(), "--auth-jwks"),
            (self.auth_issuer.is_some(), "--auth-issuer"),
            (self.auth_audience.is_some(), "--auth-audience"),
        ]
        .into_iter()
        .find_map(|(given, flag)| given.then_some(flag))
    }

    #[cfg(not(feature = "jwt"))]
    async fn apply_jwt(&self, server: crate::Server) -> Result<crate::Server, String> {
        match self.jwt_flag() {
            Some(flag) => Err(super::needs_feature(flag, "jwt")),
            None => Ok(server),
        }
    }

    #[cfg(feature = "jwt")]
    async fn apply_jwt(&self, server: crate::Server) -> Result<crate::Server, String> {
        use crate::auth::{JwtAuthenticator, JwtKeys};
        let keys = if let Some(secret) = &self.auth_jwt_secret {
            Some(JwtKeys::Secret(secret.as_bytes().to_vec()))
        } else if let Some(path) = &self.auth_public_key {
            let pem = std::fs::read(path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            Some(JwtKeys::PublicKeyPem(pem))
        } else {
            self.auth_jwks.as_ref().map(|jwks| {
                if jwks.starts_with("http://") || jwks.starts_with("https://") {
                    JwtKeys::JwksUrl(jwks.clone())
                } else {
                    JwtKeys::JwksFile(jwks.into())
                }
            })
        };
        let Some(keys) = keys else {
            if self.auth_issuer.is_some() || self.auth_audience.is_some() {
                return Err(
                    "--auth-issuer and --auth-audience need a key: --auth-jwt-secret, --auth-public-key or --auth-jwks"
                        .into(),
                );
            }
            return Ok(server);
        };
        let mut jwt = JwtAuthenticator::new(keys);
        if let Some(issuer) = &self.auth_issuer {
            jwt = jwt.issuer(issuer);
        }
        match &self.auth_audience {
            Some(audience) => jwt = jwt.audience(audience),
            None => tracing::warn!("JWTs are accepted for any audience; set --auth-audience to this server's URL"),
        }
        Ok(server.authenticator(jwt.load().await?))
    }
}

#[cfg(all(feature = "http", feature = "auth"))]
fn api_keys(server: crate::Server, source: &str) -> Result<crate::Server, String> {
    use crate::auth::ApiKeys;
    let keys =
        if source.trim_start().starts_with('{') { ApiKeys::from_json(source)? } else { ApiKeys::from_file(source)? };
    Ok(server.authenticator(keys))
}

#[cfg(all(feature = "http", not(feature = "auth")))]
fn api_keys(_: crate::Server, _: &str) -> Result<crate::Server, String> {
    Err(super::needs_feature("--auth-api-keys", "auth"))
}
