//! The concrete resources a template stands for, listed by a function of the program's.

use std::{future::Future, sync::Arc};

use rmcp::model::Resource;

use super::BoxFuture;
use crate::context::Context;

/// Lists the concrete resources a template stands for, for `resources/list`.
#[doc(hidden)]
#[derive(Clone)]
pub struct Lister(Arc<dyn Fn(Context) -> BoxFuture<Vec<Resource>> + Send + Sync>);

/// A function that can list a template's resources: `async fn() -> Vec<Resource>`, or
/// `async fn(ctx: Context) -> Vec<Resource>` to reach the server's state (`ctx.state::<T>()`)
/// or the caller. `Marker` tells the two apart.
#[doc(hidden)]
pub trait ListResources<Marker>: Send + Sync + 'static {
    fn into_lister(self) -> Lister;
}

#[doc(hidden)]
pub struct WithoutContext;

#[doc(hidden)]
pub struct WithContext;

impl<F, Fut> ListResources<WithoutContext> for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Vec<Resource>> + Send + 'static,
{
    fn into_lister(self) -> Lister {
        Lister(Arc::new(move |_| Box::pin(self())))
    }
}

impl<F, Fut> ListResources<WithContext> for F
where
    F: Fn(Context) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Vec<Resource>> + Send + 'static,
{
    fn into_lister(self) -> Lister {
        Lister(Arc::new(move |ctx| Box::pin(self(ctx))))
    }
}

impl Lister {
    pub fn new<Marker>(list: impl ListResources<Marker>) -> Self {
        list.into_lister()
    }

    pub(crate) async fn list(&self, ctx: Context) -> Vec<Resource> {
        (self.0)(ctx).await
    }
}
