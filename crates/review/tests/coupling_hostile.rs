//! Hostile input: huge one-line files, unterminated strings, deep nesting,
//! NUL bytes. Nothing may panic or hang; every rule stays linear. No timing
//! asserts (CI machines vary); `five_thousand_lines` prints its time.

use std::time::Instant;

use fcto_review::coupling::review_source;
use fcto_review::ReviewConfig;

const PATHS: [&str; 8] = [
    "app/views/x.py",
    "app/routes/x.js",
    "app/api/x.ts",
    "app/controllers/x_controller.rb",
    "internal/handlers/x.go",
    "src/main/java/XController.java",
    "app/Http/Controllers/X.php",
    "src/routes/x.rs",
];

fn config() -> ReviewConfig {
    ReviewConfig::parse("t.toml", "domain = [\"app\", \"src\", \"internal\"]\n").expect("config")
}

fn review_everywhere(text: &str) {
    let config = config();
    for path in PATHS {
        let _ = review_source(path, text, &config);
    }
}

#[test]
fn five_megabytes_of_minified_javascript_on_one_line() {
    let unit = "function a(b){for(var i=0;i<b.length;i++){db.query(\"SELECT * FROM t\");fetch(b[i],{signal:s}).then(c=>c.json())}};var x=\"https://api.stripe.com/v1/x\",y=/a\\/b[/]/g,z=`t${x}`;axios.get(u);";
    let text = unit.repeat(5_000_000 / unit.len() + 1);
    let config = config();
    let findings = review_source("app/routes/min.js", &text, &config);
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f.line == 1));
}

#[test]
fn one_long_line_in_every_language() {
    let unit = "x = foo(bar, \"https://api.twilio.com\", baz[1]) if a else b; ";
    review_everywhere(&unit.repeat(5_000));
}

#[test]
fn unterminated_strings_and_comments() {
    for text in [
        "x = \"never closed",
        "x = '''never closed\n\nrequests.get(u)",
        "const t = `template ${ never",
        "let s = r#\"raw never",
        "sql = <<~SQL\n SELECT * FROM t\n",
        "$s = <<<EOT\nabc\n",
        "/* block never closed",
        "x = /regex never closed",
        "=begin\nnever ended",
        "'",
        "\"",
        "`",
        "r#",
        "<<~",
        "<<<",
        "\\",
        "'\\",
    ] {
        review_everywhere(text);
    }
}

#[test]
fn deep_nesting_does_not_overflow_or_hang() {
    let depth = 100_000;
    let balanced = format!("{}{}", "(".repeat(depth), ")".repeat(depth));
    review_everywhere(&balanced);
    review_everywhere(&"([{".repeat(depth));
    review_everywhere(&"}])".repeat(depth));
    review_everywhere(&format!("f{}", "(g".repeat(depth)));
    review_everywhere(&"function(){".repeat(depth / 20));
    review_everywhere(&"for x in y:\n ".repeat(depth / 20));
    review_everywhere(&"items.each do |x|\n".repeat(depth / 20));
    review_everywhere(&"def f\n".repeat(depth / 20));
}

#[test]
fn nul_bytes_and_odd_unicode() {
    review_everywhere("requests.get(\0u\0)\0\"https://api.stripe.com\0\"");
    review_everywhere("\u{feff}é = '\u{202e}sk_live_abcdefghijklmnopqrstuvwxyz'\u{0}");
    review_everywhere(&"\0".repeat(100_000));
    review_everywhere("ñ.ß(ü) 🦀🦀 \"🦀://x\" 'a");
}

#[test]
fn many_calls_in_one_scope_stay_linear() {
    let body = "    $ch = curl_init($u);\n    Net::HTTP.new(h)\n    requests.post(u, timeout=1)\n";
    let text = format!("<?php\n{}", body.repeat(5_000));
    review_everywhere(&text);
}

fn python_file(lines: usize) -> String {
    let block = r#"
@app.get("/orders")
def list_orders(request):
    """List orders, see https://docs.example.com/orders."""
    orders = Order.objects.filter(status="open")[:50]
    for order in orders:
        customer = Customer.objects.get(id=order.customer_id)  # N+1
        requests.post(settings.HOOK, json={"id": order.id}, timeout=5)
    return render(request, "orders.html", {"orders": orders})

"#;
    let per = block.lines().count();
    block.repeat(lines / per + 1)
}

fn javascript_file(lines: usize) -> String {
    let block = r#"
router.post("/orders/:id", async (req, res) => {
  const order = await Order.findByPk(req.params.id);
  for (const item of order.items) {
    item.product = await Product.findOne({ where: { id: item.productId } });
  }
  await fetch(`${process.env.API}/notify`, { method: "POST", body: JSON.stringify(order), signal: AbortSignal.timeout(5000) });
  res.json(order);
});

"#;
    let per = block.lines().count();
    block.repeat(lines / per + 1)
}

#[test]
fn five_thousand_lines() {
    let config = config();
    for (path, text) in [
        ("app/views/orders.py", python_file(5_000)),
        ("app/routes/orders.js", javascript_file(5_000)),
    ] {
        let started = Instant::now();
        let findings = review_source(path, &text, &config);
        println!(
            "{path}: {} lines, {} findings, {:?}",
            text.lines().count(),
            findings.len(),
            started.elapsed()
        );
        assert!(!findings.is_empty());
    }
}
