<?php
$ch = curl_init('https://api.twilio.com/2010-04-01/Messages.json');
