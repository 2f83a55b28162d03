<?php
use GuzzleHttp\Client;
$client = new Client(['base_uri' => $base]);
