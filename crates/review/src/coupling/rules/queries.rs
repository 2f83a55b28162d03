//! `query-in-loop` (N+1 shapes) and `unbounded-query` (no LIMIT or
//! pagination in request paths).

use std::ops::Range;

use super::{hit, Context};
use crate::coupling::lex::Kind;
use crate::coupling::source::Source;
use crate::coupling::{Hit, Language, Rule};

pub(crate) fn check_loops(source: &Source, hits: &mut Vec<Hit>) {
    let mut t = 0;
    while t < source.len() {
        if !source.in_loop(t) || !source.is_ident(t) {
            t += 1;
            continue;
        }
        let Some(shown) = query_call(source, t) else {
            t += 1;
            continue;
        };
        let chain = source.chain(t);
        hits.push(hit(
            source,
            Rule::QueryInLoop,
            chain.start.min(t),
            format!("`{shown}` runs a query on every loop iteration (N+1)"),
            loop_fix(source.language),
        ));
        t = chain.end.max(t + 1);
    }
}

/// `Some(shown)` when token `t` names a call that runs a database query.
fn query_call(source: &Source, t: usize) -> Option<String> {
    let word = source.text(t);
    let receiver = source.receiver_text(t);
    let has_args = source.has_args(t);
    let member = source.after_member(t);
    let shown = || format!("{}(...)", source.call_path(t));
    let receiver_is = |words: &[&str]| source.receiver_has_word(t, words);
    let capitalized = receiver.chars().next().is_some_and(char::is_uppercase);
    if sql_string_call(source, t) {
        return Some(shown());
    }
    if !member {
        return match (source.language, word) {
            (Language::Php, "mysqli_query" | "pg_query") if has_args => Some(shown()),
            (Language::Rust, "query" | "query_as" | "query_scalar") if source.is(t + 1, "!") => {
                Some(format!("{word}!(...)"))
            }
            _ => None,
        };
    }
    let found = match source.language {
        Language::Python => {
            (receiver == "objects" && has_args && DJANGO_METHODS.contains(&word))
                || (receiver == "query"
                    && has_args
                    && matches!(
                        word,
                        "get" | "filter" | "filter_by" | "first" | "all" | "one"
                    ))
                || (has_args
                    && matches!(word, "query" | "execute" | "scalar" | "scalars")
                    && receiver_is(&[
                        "cursor",
                        "cur",
                        "conn",
                        "connection",
                        "session",
                        "db",
                        "engine",
                    ]))
                || (has_args && word == "get" && receiver_is(&["session"]))
        }
        Language::JavaScript | Language::TypeScript => {
            has_args
                && (JS_METHODS.contains(&word)
                    || (word == "find"
                        && (capitalized
                            || receiver_is(&["repo", "repository", "model", "collection", "db"]))
                        && !first_arg_is_function(source, t))
                    || (matches!(
                        word,
                        "query" | "execute" | "raw" | "$queryRaw" | "where" | "first"
                    ) && receiver_is(&[
                        "db",
                        "pool",
                        "client",
                        "conn",
                        "connection",
                        "knex",
                        "sql",
                        "manager",
                        "prisma",
                        "tx",
                        "trx",
                    ])))
        }
        Language::Ruby => {
            (capitalized && (RUBY_METHODS.contains(&word) || word.starts_with("find_by_")))
                || (matches!(word, "execute" | "exec_query" | "select_all" | "query")
                    && receiver_is(&["db", "conn", "connection"]))
        }
        Language::Go => {
            has_args
                && ((GO_SQL_METHODS.contains(&word) && receiver_is(&["db", "tx", "conn", "pool"]))
                    || (matches!(word, "First" | "Find" | "Take" | "Last" | "Where")
                        && receiver_is(&["db", "tx"])))
        }
        Language::Java => {
            has_args
                && ([
                    "findBy",
                    "findAllBy",
                    "findOneBy",
                    "existsBy",
                    "countBy",
                    "getBy",
                    "findFirstBy",
                ]
                .iter()
                .any(|p| word.starts_with(p))
                    || (matches!(
                        word,
                        "findById"
                            | "getById"
                            | "getOne"
                            | "find"
                            | "executeQuery"
                            | "queryForObject"
                            | "queryForList"
                            | "queryForMap"
                            | "query"
                            | "createQuery"
                            | "createNativeQuery"
                    ) && receiver_is(&[
                        "repo",
                        "repository",
                        "dao",
                        "em",
                        "manager",
                        "jdbc",
                        "template",
                        "stmt",
                        "statement",
                        "session",
                    ])))
        }
        Language::Php => {
            let static_call = t >= 1 && source.is(t - 1, "::");
            (static_call
                && capitalized
                && PHP_STATIC_METHODS.contains(&word)
                && receiver != "Route")
                || (!static_call
                    && matches!(
                        word,
                        "query" | "get_results" | "get_row" | "get_var" | "fetchAll"
                    )
                    && receiver_is(&["pdo", "db", "conn", "connection", "mysqli", "wpdb"]))
        }
        Language::Rust => {
            has_args
                && (matches!(
                    word,
                    "fetch_one"
                        | "fetch_all"
                        | "fetch_optional"
                        | "get_result"
                        | "get_results"
                        | "query_one"
                        | "query_opt"
                ) || (matches!(word, "query" | "query_as" | "query_scalar")
                    && receiver == "sqlx")
                    || (word == "query"
                        && receiver_is(&["client", "conn", "tx", "db", "transaction"])))
        }
    };
    found.then(shown)
}

/// A call whose first argument is a SQL statement literal.
fn sql_string_call(source: &Source, t: usize) -> bool {
    if !source.is(t + 1, "(") || !source.is_str(t + 2) {
        return false;
    }
    // Only calls that run SQL: `String::from("INSERT ...")` builds text.
    let callee = source.text(t).to_ascii_lowercase();
    let runs = [
        "query", "exec", "raw", "sql", "select", "prepare", "fetch", "run",
    ]
    .iter()
    .any(|w| callee.contains(w))
        || matches!(callee.as_str(), "all" | "get" | "one" | "each");
    if !runs {
        return false;
    }
    let sql = source.inner(t + 2).trim_start().to_ascii_lowercase();
    ["select ", "insert ", "update ", "delete ", "with "]
        .iter()
        .any(|k| sql.starts_with(k))
}

fn first_arg_is_function(source: &Source, t: usize) -> bool {
    let Some(args) = source.args(t) else {
        return false;
    };
    let first = source.split_args(args).into_iter().next().unwrap_or(0..0);
    first
        .clone()
        .any(|j| source.is(j, "=>") || source.is(j, "function"))
}

const DJANGO_METHODS: [&str; 15] = [
    "get",
    "filter",
    "exclude",
    "create",
    "get_or_create",
    "update_or_create",
    "count",
    "exists",
    "first",
    "last",
    "aggregate",
    "all",
    "values",
    "values_list",
    "raw",
];

const JS_METHODS: [&str; 16] = [
    "findOne",
    "findOneBy",
    "findUnique",
    "findUniqueOrThrow",
    "findFirst",
    "findFirstOrThrow",
    "findMany",
    "findById",
    "findByPk",
    "findAll",
    "findBy",
    "findOneAndUpdate",
    "findOrCreate",
    "countDocuments",
    "findOneOrFail",
    "findByIdAndUpdate",
];

const RUBY_METHODS: [&str; 14] = [
    "find",
    "find_by",
    "find_by!",
    "where",
    "find_by_sql",
    "exists?",
    "count",
    "first",
    "last",
    "pluck",
    "create",
    "create!",
    "sum",
    "find_or_create_by",
];

const GO_SQL_METHODS: [&str; 10] = [
    "Query",
    "QueryRow",
    "QueryContext",
    "QueryRowContext",
    "Exec",
    "ExecContext",
    "Get",
    "Select",
    "GetContext",
    "SelectContext",
];

const PHP_STATIC_METHODS: [&str; 10] = [
    "find",
    "findOrFail",
    "where",
    "first",
    "firstWhere",
    "whereIn",
    "select",
    "table",
    "count",
    "firstOrCreate",
];

fn loop_fix(language: Language) -> String {
    match language {
        Language::Python => "Fetch once before the loop: `users = User.objects.in_bulk(ids)` (or `.filter(id__in=ids)`, `select_related`/`prefetch_related` on the outer query), then read `users[id]` inside it.",
        Language::JavaScript | Language::TypeScript => "Fetch once before the loop: `const users = await prisma.user.findMany({ where: { id: { in: ids } } })` (SQL: `WHERE id = ANY($1)`), then `const byId = new Map(users.map(u => [u.id, u]))` and read `byId.get(id)` inside it.",
        Language::Ruby => "Load once: `users = User.where(id: ids).index_by(&:id)` before the loop, or `includes(:association)` on the outer query.",
        Language::Go => "One query before the loop: `SELECT ... WHERE id = ANY($1)` with `pq.Array(ids)`, scanned into a `map[int64]User`, then look up inside the loop.",
        Language::Java => "Load once: `repository.findAllById(ids)` collected to a `Map<Long, Entity>`, or `JOIN FETCH` / `@EntityGraph` on the outer query.",
        Language::Php => "Load once: `$users = User::whereIn('id', $ids)->get()->keyBy('id');` before the loop, or eager-load with `->with('relation')`.",
        Language::Rust => "One query before the loop: `sqlx::query_as!(User, \"SELECT ... WHERE id = ANY($1)\", &ids).fetch_all(&pool)`, then a `HashMap` by id.",
    }
    .to_string()
}

pub(crate) fn check_unbounded(source: &Source, context: &Context, hits: &mut Vec<Hit>) {
    let in_request =
        |t: usize| context.is_request_path || source.scope_at(t).is_some_and(|s| s.route);
    for t in 0..source.len() {
        if !in_request(t) {
            continue;
        }
        if source.is_str(t) {
            if let Some(message) = unbounded_sql(source, t) {
                hits.push(hit(source, Rule::UnboundedQuery, t, message, sql_fix()));
            }
            continue;
        }
        if !source.is_ident(t) {
            continue;
        }
        if let Some(shown) = unbounded_call(source, t) {
            let chain = source.chain(t);
            hits.push(hit(
                source,
                Rule::UnboundedQuery,
                chain.start.min(t),
                format!("`{shown}` in a request path returns every row (no LIMIT or pagination)"),
                unbounded_fix(source.language),
            ));
        }
    }
}

const BOUNDING_WORDS: [&str; 14] = [
    "limit",
    "paginat",
    "page",
    "first",
    "count",
    "exists",
    "aggregate",
    "take",
    "top",
    "slice",
    "chunk",
    "findeach",
    "inbatches",
    "cursor",
];

/// Whether the chain, the call wrapping it, or (for assignments) the
/// enclosing function bounds the result.
fn bounded(source: &Source, t: usize, chain: &Range<usize>) -> bool {
    let chain_words = chain.start..chain.end;
    if source.mentions(chain_words, &BOUNDING_WORDS) {
        return true;
    }
    if source.is(chain.end, "[") {
        return true; // Django slicing: qs[:50]
    }
    if let Some(open) = source.parent(t) {
        if open > 0
            && source.is_ident(open - 1)
            && source.mentions(open - 1..open, &["paginat", "pagy", "page"])
        {
            return true;
        }
    }
    // `queryset = Model.objects.all()` is paginated by the framework;
    // a variable assigned here may be paginated further down.
    if chain.start >= 2 && source.is(chain.start - 1, "=") {
        if source.text(chain.start - 2) == "queryset" {
            return true;
        }
        return source.scope_mentions(t, &["paginat", "pagy", "limit", "slice"]);
    }
    false
}

fn unbounded_call(source: &Source, t: usize) -> Option<String> {
    if !source.after_member(t) {
        return None;
    }
    let word = source.text(t);
    if !matches!(
        word,
        "all" | "findAll" | "findMany" | "find" | "Find" | "load" | "get_results"
    ) {
        return None;
    }
    let receiver = source.receiver_text(t);
    let capitalized = receiver.chars().next().is_some_and(char::is_uppercase);
    let args = source.args(t);
    let empty_args = args.as_ref().is_some_and(|a| a.is_empty());
    let chain = source.chain(t);
    let candidate = match source.language {
        Language::Python => {
            word == "all"
                && empty_args
                && source.mentions(chain.start..t, &["objects", "query", "select", "scalars"])
        }
        Language::Ruby => word == "all" && capitalized && (args.is_none() || empty_args),
        Language::Php => word == "all" && capitalized && empty_args,
        Language::JavaScript | Language::TypeScript => {
            let object_or_empty = args.as_ref().is_some_and(|a| {
                a.is_empty() || (source.is(a.start, "{") && source.split_args(a.clone()).len() == 1)
            });
            (matches!(word, "findAll" | "findMany") && object_or_empty)
                || (word == "find"
                    && object_or_empty
                    && (capitalized || receiver.to_ascii_lowercase().contains("repo")))
        }
        Language::Java => {
            word == "findAll"
                && args
                    .as_ref()
                    .is_some_and(|a| !source.mentions(a.clone(), &["page", "limit"]))
        }
        Language::Go => {
            word == "Find" && source.mentions(chain.start..t + 1, &["db", "tx"]) && args.is_some()
        }
        Language::Rust => {
            matches!(word, "load" | "get_results")
                && args
                    .as_ref()
                    .is_some_and(|a| source.mentions(a.clone(), &["conn"]))
        }
    };
    if !candidate || bounded(source, t, &chain) {
        return None;
    }
    let path = source.call_path(t);
    Some(if args.is_some() {
        format!("{path}(...)")
    } else {
        path
    })
}

/// `SELECT ... FROM ...` with no LIMIT, that is not an aggregate or a
/// primary-key lookup.
fn unbounded_sql(source: &Source, t: usize) -> Option<String> {
    let sql = source.inner(t).trim_start().to_ascii_lowercase();
    if !sql.starts_with("select") || !sql[6..].starts_with(char::is_whitespace) {
        return None;
    }
    let from = find_word(&sql, "from")?;
    for bound in [
        "limit",
        "top",
        "fetch first",
        "fetch next",
        "rownum",
        "exists",
    ] {
        if find_word(&sql, bound).is_some() {
            return None;
        }
    }
    let select_list = sql[6..from].trim_start();
    let aggregate = ["count(", "sum(", "avg(", "min(", "max(", "count (", "1 "]
        .iter()
        .any(|a| select_list.starts_with(a));
    if aggregate && find_word(&sql, "group").is_none() {
        return None;
    }
    if let Some(at) = find_word(&sql, "where") {
        let condition = sql[at + 5..].trim_start();
        let column = condition
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .next()
            .unwrap_or("");
        if column == "id" || column.ends_with(".id") {
            return None;
        }
    }
    // `"SELECT ... " + " LIMIT 10"` / adjacent literals: look a few tokens on.
    let mut j = t + 1;
    while j < source.len() && j < t + 8 {
        match source.kind(j) {
            Some(Kind::Str)
                if find_word(&source.inner(j).to_ascii_lowercase(), "limit").is_some() =>
            {
                return None
            }
            Some(Kind::Punct) if matches!(source.text(j), ";" | ")" | "}") => break,
            _ => {}
        }
        j += 1;
    }
    let table: String = sql[from + 4..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.' || *c == '"')
        .collect();
    Some(format!(
        "`SELECT ... FROM {table}` in a request path has no LIMIT"
    ))
}

/// Byte offset of `word` as a whole word in `text`.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find(word)) {
        let at = from + found;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if !is_word(before) && !is_word(after) {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

fn sql_fix() -> String {
    "Bound it and page by key: `SELECT ... FROM orders WHERE id > $1 ORDER BY id LIMIT 50` with the last seen id (or `LIMIT $1 OFFSET $2`) taken from the request.".to_string()
}

fn unbounded_fix(language: Language) -> String {
    match language {
        Language::Python => "Paginate: `Paginator(Order.objects.order_by(\"id\"), 50).get_page(request.GET.get(\"page\"))`, or slice `Order.objects.order_by(\"id\")[:100]`; SQLAlchemy: `select(Order).order_by(Order.id).limit(100)`.",
        Language::JavaScript | Language::TypeScript => "Bound it: `prisma.order.findMany({ take: 50, skip, orderBy: { id: 'asc' } })`, `Order.findAll({ limit: 50, offset })`, or `Order.find(filter).limit(50)`.",
        Language::Ruby => "Bound it: `Order.order(:id).limit(50)`, or paginate: `@pagy, @orders = pagy(Order.order(:id))`.",
        Language::Go => "Bound it: `db.Order(\"id\").Limit(50).Offset(offset).Find(&orders)`.",
        Language::Java => "Page it: `repository.findAll(PageRequest.of(page, 50, Sort.by(\"id\")))` returning `Page<T>`.",
        Language::Php => "Page it: `Order::orderBy('id')->paginate(50)` or `->cursorPaginate(50)`.",
        Language::Rust => "Bound it: diesel `.order(orders::id).limit(50).offset(offset).load(&mut conn)`; SQL `ORDER BY id LIMIT $1 OFFSET $2`.",
    }
    .to_string()
}
