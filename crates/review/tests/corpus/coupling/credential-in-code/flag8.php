<?php
$config = ['client_secret' => 'f3a9c1e07b2d4e5f8a6b'];
