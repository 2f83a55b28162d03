<?php
function rates($url) {
    $ch = curl_init($url);
    curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
    curl_setopt($ch, CURLOPT_TIMEOUT, 10);
    return curl_exec($ch);
}
$client = new \GuzzleHttp\Client(['base_uri' => $base, 'timeout' => 10]);
