use mcp_runtime::prelude::*;

/// A user's post.
#[mcp_resource(uri = "users://{user_id}/posts/{post_id}")]
async fn post(user_id: u64) -> String {
    user_id.to_string()
}

fn main() {}
