// sqlx::migrate! embeds migrations/ at compile time; without this a new migration file
// would not be noticed until something else recompiled.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
